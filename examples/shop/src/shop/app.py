"""The app: one message log, and every feature's commands and workers registered on it."""

from __future__ import annotations

import os

from petrock_runtime import App

from shop.registry import register_all

DATABASE_URL_ENV = "SHOP_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///shop.db"


def database_url(override: str | None = None) -> str:
    """The message log URL: `override`, else $SHOP_DATABASE_URL, else a SQLite file.

    Any URL the runtime opens works: `memory://`, `sqlite:///path.db`, `postgresql://...`.
    """
    return override or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


def build_app(database: str | None = None) -> App:
    """The app with every feature registered, on the log at `database_url(database)`."""
    app = App(database_url(database), name="shop")
    register_all(app)
    return app
