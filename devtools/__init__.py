"""Development helpers for the test suite, the examples and the benchmarks (not distributed)."""
