"""Constraint coverage for CI: is every constraint modelled, satisfiable, and enforced by the live database."""

from fraiseql_data.coverage.finding import Finding, summarize, worse
from fraiseql_data.coverage.run import CoverageResult, run_coverage

__all__ = ["CoverageResult", "Finding", "run_coverage", "summarize", "worse"]
