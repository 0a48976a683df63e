from __future__ import annotations

from pathlib import Path

import pytest
from petrock_runtime import App, MemoryMessageLog, SQLiteMessageLog, open_log

from petrock_gen.errors import UserError

from .cmds import Charge, build_billing


def test_memory_url() -> None:
    assert isinstance(open_log("memory://"), MemoryMessageLog)


def test_sqlite_relative_and_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = open_log("sqlite:///rel.db")
    assert isinstance(relative, SQLiteMessageLog) and (tmp_path / "rel.db").exists()
    relative.close()
    absolute = open_log(f"sqlite:///{tmp_path / 'abs.db'}")
    assert isinstance(absolute, SQLiteMessageLog) and (tmp_path / "abs.db").exists()
    absolute.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///", "names no database file"),
        ("sqlite:///:memory:", "names no database file"),
        ("redis://x", "unsupported log URL"),
        ("sqlite:////no/such/dir/x.db", "does not exist"),
    ],
)
def test_bad_urls_are_user_errors(url: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as raised:
        open_log(url)
    assert raised.value.hint


def test_postgres_url_imports_the_backend_lazily() -> None:
    try:
        import petrock_runtime._postgres  # noqa: F401
    except ImportError:
        with pytest.raises(UserError, match="PostgreSQL support is not installed"):
            open_log("postgresql://user:secret@localhost/db")
    else:
        pytest.skip("the PostgreSQL backend is present; its own tests cover open_log")


def test_sqlite_app_restart_keeps_positions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    with App(url) as app:
        app.register_worker(build_billing())
        app.execute(Charge("a", 1))
        app.run_until_idle()
        app.execute(Charge("b", 1))  # appended, not yet handled
    with App(url) as again:
        worker = build_billing()
        again.register_worker(worker)
        again.run_until_idle()
        assert worker.state.replayed == [1]  # handled before: replayed, no side effects
        assert worker.state.live == [2]  # appended while down: live now


def test_executor_catches_up_on_other_processes_before_validating(tmp_path: Path) -> None:
    from petrock_runtime import Message, ValidationError

    path = tmp_path / "shared.db"
    here, there = App(SQLiteMessageLog(path)), App(SQLiteMessageLog(path))
    charged: set[str] = set()

    def check(cmd: Charge) -> None:
        if cmd.invoice_id in charged:
            raise ValidationError("invoice_id", "already charged")

    def apply(cmd: Charge, msg: Message) -> None:
        charged.add(cmd.invoice_id)

    here.executor.on_validate(Charge, check)
    here.executor.on_apply(Charge, apply)
    here.execute(Charge("a", 1))
    there.execute(Charge("b", 1))  # another process, same log
    with pytest.raises(ValidationError, match="already charged"):
        here.execute(Charge("b", 1))
    assert charged == {"a", "b"} and here.log.last_id() == 2
    here.log.close()
    there.log.close()
