"""Tests of the app's wiring: the log URL, every feature's registration, the entry point."""

from __future__ import annotations

import pytest

from shop.__main__ import main
from shop.app import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, build_app, database_url
from shop.registry import FEATURES


def test_database_url_prefers_the_flag_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert database_url() == DEFAULT_DATABASE_URL
    monkeypatch.setenv(DATABASE_URL_ENV, "sqlite:///elsewhere.db")
    assert database_url() == "sqlite:///elsewhere.db"
    assert database_url("memory://") == "memory://"


def test_every_feature_registers_its_main_worker() -> None:
    app = build_app("memory://")
    names = {info.name for info in app.stats()}
    for feature in FEATURES:
        assert feature.replace("_", "-") in names
    app.run_until_idle()
    assert app.dead_letters() == []


def test_main_processes_the_log_and_prints_stats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", "memory://", "--until-idle"]) == 0
    assert capsys.readouterr().out.startswith("worker ")
