"""`python -m shop`: run the app's workers until Ctrl-C, then show their stats."""

from __future__ import annotations

import argparse
import sys

from petrock_runtime import App

from shop.app import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, build_app


def main(argv: list[str] | None = None) -> int:
    """Run every worker until Ctrl-C (or, with --until-idle, until the log is processed)."""
    parser = argparse.ArgumentParser(prog="python -m shop", description=__doc__)
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"message log URL (default: ${DATABASE_URL_ENV}, else {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--until-idle",
        action="store_true",
        help="process what is in the log, run periodic work once, then exit",
    )
    args = parser.parse_args(argv)
    app = build_app(args.database)
    if args.until_idle:
        app.run_until_idle()
        app.stop()
    else:
        print(f"running {len(app.workers())} worker(s); press Ctrl-C to stop", flush=True)
        app.run()
    print_stats(app)
    return 0


def print_stats(app: App) -> None:
    """One line per worker: processed, retried, dead-lettered, lag and the last error."""
    print(f"{'worker':<32} {'processed':>9} {'retried':>7} {'dead':>5} {'lag':>5}  last error")
    for info in app.stats():
        stats = info.stats
        print(
            f"{info.name:<32} {stats.processed:>9} {stats.retried:>7} "
            f"{stats.dead_lettered:>5} {stats.lag:>5}  {stats.last_error or '-'}"
        )


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
