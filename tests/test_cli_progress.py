"""The seed command shows a progress bar (rows, rows/s) on a terminal, and nothing when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[1] / "examples/catalog/schema.sql"
SEED = [sys.executable, "-c", "from fraiseql_data.cli import main; main()", "seed", str(EXAMPLE), "--rows", "70000"]


def run_on_terminal(command: list[str]) -> tuple[int, str]:
    """Run with stderr (and stdout) on a pseudo-terminal; everything it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                               env={**os.environ, "COLUMNS": "160", "TERM": "xterm"})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=600), b"".join(chunks).decode(errors="replace")


def test_progress_bar_on_a_terminal() -> None:
    code, output = run_on_terminal(SEED)
    assert code == 0, output
    assert "rows/s" in output and "generat" in output  # the bar: table, rows, rows/s
    assert "shop.tb_price" in output and "70000 rows" in output  # then the summary


def test_no_progress_bar_when_piped() -> None:
    done = subprocess.run(SEED, capture_output=True, text=True, timeout=600, check=True)
    assert "rows/s" not in done.stderr + done.stdout
    assert "70000 rows" in done.stdout
