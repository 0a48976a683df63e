"""A small shop whose background workers were written in the old style."""
