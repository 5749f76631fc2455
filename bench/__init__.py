"""Performance benchmark (python -m bench.run)."""
