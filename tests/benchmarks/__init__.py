"""Opt-in benchmarks for issue 8 (speed and scale): scripts, not collected by pytest. See docs/benchmarks.md."""
