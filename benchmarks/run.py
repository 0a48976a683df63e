"""Run every benchmark of petrock_gen, or the named ones: `python benchmarks/run.py [AREA ...]`.

Each `benchmarks/bench_<area>.py` measures its figures against a baseline taken in the same run and
prints a table of values and ratios. Areas: runtime, generate, regenerate, migrate, postgres.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmark modules in turn; the exit code is the worst of theirs."""
    wanted = list(sys.argv[1:] if argv is None else argv)
    available = {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(available)}")
        return 2
    worst = 0
    for name, path in available.items():
        if wanted and name not in wanted:
            continue
        print(f"\n== {name} ==", flush=True)
        module = _load(path)
        worst = max(worst, int(module.main([])))  # type: ignore[attr-defined]
    return worst


if __name__ == "__main__":
    sys.exit(main())
