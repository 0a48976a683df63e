"""The README's examples run as written."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_quickstart_has_the_two_one_line_commands_first() -> None:
    text = README.read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1]
    first, second = re.findall(r"```bash\n(.*?)```", quickstart, re.S)[:2]
    assert first.count("\n") == 1 and first.startswith("pip install . ")
    assert "petrock new project shop" in first and first.rstrip().endswith("pytest")
    assert second == "pip install -e '.[dev]' && pytest\n"


def test_runtime_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (source,) = _blocks("python")
    assert 'App("sqlite:///app.db")' in source and "app.run()" in source
    database = (tmp_path / "app.db").as_posix()
    source = source.replace("sqlite:///app.db", f"sqlite:///{database}")
    source = source.replace("app.run()", "app.run_until_idle()")
    module = types.ModuleType("readme_example")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source, str(README), "exec"), module.__dict__)
    assert module.worker.state.charged == {"inv-1": 1}
    assert module.app.dead_letters() == []
    module.app.close()
