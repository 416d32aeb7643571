"""Long randomized runs against hostile input: kills mid-write, concurrent writers, broken files,
fuzzed queries, index faults. Not part of the default run: ``pytest -m torture``."""
