"""Load tests, benchmark and national simulation (docs/PERFORMANCE.md)."""
