"""Performance benchmarks for Tenestetorget (run with `make bench`; see docs/performance.md)."""
