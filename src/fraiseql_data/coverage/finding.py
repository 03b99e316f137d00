"""One line of the coverage report, and what makes a run fail (or fail *worse*).

The JSON keys of `Finding` are a published format (`--format json` and the
baseline file), so they are fixed: table, constraint, kind, classification,
satisfiable, enforced, detail. `None` means "could not tell": it is reported,
never counted as a failure, so a schema is not failed for what we cannot probe.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("check", "domain_check", "not_null", "primary_key", "unique", "unique_index", "foreign_key")
CLASSIFICATIONS = ("exact", "string", "opaque", "unsupported")


@dataclass(frozen=True)
class Finding:
    table: str  # schema.table; for a domain CHECK, schema.domain
    constraint: str
    kind: str
    classification: str
    satisfiable: bool | None
    enforced: bool | None
    detail: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.constraint, self.kind)

    @property
    def failed(self) -> bool:
        return self.satisfiable is False or self.enforced is False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        return cls(str(data["table"]), str(data["constraint"]), str(data["kind"]), str(data["classification"]),
                   data["satisfiable"], data["enforced"], str(data.get("detail", "")))


def tally(values: Iterable[bool | None]) -> dict[str, int]:
    counts = Counter("unknown" if v is None else str(v).lower() for v in values)
    return {name: counts.get(name, 0) for name in ("true", "false", "unknown")}


def summarize(findings: Sequence[Finding], seconds: float) -> dict[str, Any]:
    """The `summary` object of the JSON report."""
    by_kind = Counter(f.kind for f in findings)
    by_class = Counter(f.classification for f in findings)
    return {
        "constraints": len(findings),
        "by_kind": {k: by_kind[k] for k in KINDS if by_kind[k]},
        "by_classification": {c: by_class.get(c, 0) for c in CLASSIFICATIONS},
        "satisfiable": tally(f.satisfiable for f in findings),
        "enforced": tally(f.enforced for f in findings),
        "failed": sum(f.failed for f in findings),
        "seconds": round(seconds, 2),
    }


def worse(findings: Sequence[Finding], baseline: Sequence[Finding]) -> list[Finding]:
    """Findings that fail where the baseline did not: a new constraint that fails, or one that regressed."""
    before = {f.key: f for f in baseline}
    out = []
    for finding in findings:
        old = before.get(finding.key)
        regressed = (finding.satisfiable is False and (old is None or old.satisfiable is not False)) or \
                    (finding.enforced is False and (old is None or old.enforced is not False))
        if regressed:
            out.append(finding)
    return out
