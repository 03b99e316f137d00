"""The three views of a coverage run: a rich table, the fixed JSON format, JUnit XML.

JUnit has one test case per constraint (class name: the table) so that a CI
dashboard lists them; a constraint that is not satisfiable or not enforced is
a failure, and one we could not probe is "skipped" with the reason.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from io import StringIO

from rich.console import Console
from rich.table import Table as RichTable

from fraiseql_data.coverage.finding import Finding
from fraiseql_data.coverage.run import CoverageResult


def mark(value: bool | None) -> str:
    return {True: "[green]yes[/]", False: "[bold red]NO[/]", None: "[yellow]?[/]"}[value]


def as_text(result: CoverageResult, worse: Sequence[Finding] = (), width: int = 160) -> str:
    table = RichTable(title="constraint coverage", show_lines=False)
    for column in ("table", "constraint", "kind", "class", "satisfiable", "enforced", "detail"):
        table.add_column(column, overflow="fold")
    for f in result.findings:
        table.add_row(f.table, f.constraint, f.kind, f.classification, mark(f.satisfiable), mark(f.enforced),
                      f.detail if f.enforced is not True else "")
    summary = result.summary
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=False)
    console.print(table)
    console.print(f"{summary['constraints']} constraints in {summary['seconds']} s — "
                  f"classification {summary['by_classification']}, satisfiable {summary['satisfiable']}, "
                  f"enforced {summary['enforced']}", markup=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    for f in worse:
        console.print(f"worse than the baseline: {f.table} {f.constraint} ({f.kind})", markup=False)
    return buffer.getvalue()


def as_json(result: CoverageResult) -> str:
    return json.dumps(result.as_json(), indent=1)


def as_junit(result: CoverageResult) -> str:
    suite = ET.Element("testsuite", name="fraiseql-data coverage", tests=str(len(result.findings)),
                       failures=str(len(result.failed)),
                       skipped=str(sum(not f.failed and f.enforced is None for f in result.findings)),
                       time=f"{result.seconds:.3f}")
    for f in result.findings:
        case = ET.SubElement(suite, "testcase", classname=f.table, name=f"{f.kind} {f.constraint}")
        if f.failed:
            what = "not satisfiable" if f.satisfiable is False else "not enforced"
            failure = ET.SubElement(case, "failure", message=f"{f.constraint}: {what}", type=what.replace(" ", "_"))
            failure.text = f.detail
        elif f.enforced is None:
            ET.SubElement(case, "skipped", message=f.detail or "not probed")
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
