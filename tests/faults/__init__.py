"""Fault injection: each row of docs/faults.md is a test here, run through the real CLI."""
