"""`python -m petrock_gen` runs the `petrock` command line."""

from __future__ import annotations

from petrock_gen.cli import main

if __name__ == "__main__":
    main()
