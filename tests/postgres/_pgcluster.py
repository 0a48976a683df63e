"""A throwaway PostgreSQL cluster for tests and benchmarks.

`start_cluster()` runs `initdb` and `pg_ctl start` in a fresh temporary directory, listening on a free
loopback port and on a unix socket inside that directory, with `trust` authentication for the
superuser `petrock`. PostgreSQL refuses to run as root, so when we are root the server runs as the
`postgres` user (created by the Debian package) or, failing that, `nobody`, through `runuser`.
`Cluster.stop()` stops the server and deletes the directory.

Set `PETROCK_TEST_POSTGRES_URL` to use an existing server instead (its user must be allowed to
create databases); `PETROCK_PG_BINDIR` to pick the PostgreSQL binaries.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Cluster",
    "ClusterUnavailable",
    "ExternalServer",
    "Server",
    "find_bindir",
    "start_cluster",
]

_SUPERUSER = "petrock"
_INITDB_FLAGS = ("--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")
_TEST_SETTINGS = {"fsync": "off", "full_page_writes": "off"}


class ClusterUnavailable(Exception):
    """No PostgreSQL server could be started; the message says why."""


def find_bindir() -> Path:
    """The directory holding `initdb` and `pg_ctl`: `$PETROCK_PG_BINDIR`, `pg_config --bindir`,
    the newest `/usr/lib/postgresql/*/bin`, or wherever `initdb` is on PATH."""
    if env := os.environ.get("PETROCK_PG_BINDIR"):  # an explicit choice: only that
        if (Path(env) / "initdb").is_file() and (Path(env) / "pg_ctl").is_file():
            return Path(env)
        raise ClusterUnavailable(f"PETROCK_PG_BINDIR={env} holds no initdb and pg_ctl")
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versions)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    raise ClusterUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; install them, e.g. "
        "`apt-get install postgresql`, or set PETROCK_PG_BINDIR"
    )


class Server:
    """A PostgreSQL server the tests may create databases on."""

    _names = itertools.count(1)

    def url(self, dbname: str = "postgres") -> str:
        """A connection URL for database `dbname`."""
        raise NotImplementedError

    def create_database(self, prefix: str = "t") -> str:
        """Create a fresh, empty database and return its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by `create_database` (closing its connections)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server if we started it."""


@dataclass
class ExternalServer(Server):
    """A server someone else runs, given by an admin URL (its path is replaced per database)."""

    admin_url: str

    def url(self, dbname: str = "postgres") -> str:
        base, _, _ = self.admin_url.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{dbname}"


@dataclass
class Cluster(Server):
    """A cluster we started in `root` (data directory, socket and server log inside)."""

    bindir: Path
    root: Path
    port: int
    os_user: str | None
    stopped: bool = field(default=False)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    @property
    def log_file(self) -> Path:
        """The server's log file."""
        return self.root / "server.log"

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory."""
        if self.stopped:
            return
        self.stopped = True
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.pg_ctl("stop", "-m", "fast", "-w", "-t", "30")
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        """Restart the server (fast), dropping every connection; waits until it accepts again."""
        self.pg_ctl("restart", "-m", "fast", "-w", "-t", "30", "-o", _options(self.root, self.port))

    def pg_ctl(self, *args: str) -> None:
        """Run `pg_ctl -D <data> ARGS...` as the server's OS user."""
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-l"]
        command += [str(self.log_file), *args]
        _run(command, self.os_user, timeout=60)


def start_cluster(*, durable: bool = False, attempts: int = 3) -> Cluster:
    """Create and start a throwaway cluster; raises `ClusterUnavailable` with the reason.

    `durable=False` (tests) turns fsync off; benchmarks pass `durable=True`."""
    bindir = find_bindir()
    os_user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="petrock-pg-"))
    try:
        if os_user is not None:
            entry = pwd.getpwnam(os_user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        _run(
            [str(bindir / "initdb"), "-D", str(root / "data"), "-U", _SUPERUSER, *_INITDB_FLAGS],
            os_user,
            timeout=120,
        )
        _configure(root / "data", durable=durable)
        last_error = ""
        for _ in range(attempts):
            cluster = Cluster(bindir=bindir, root=root, port=_free_port(), os_user=os_user)
            try:
                cluster.pg_ctl("start", "-w", "-t", "60", "-o", _options(root, cluster.port))
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                last_error = _describe(exc, cluster.log_file)
                continue
            return cluster
        raise ClusterUnavailable(f"PostgreSQL did not start: {last_error}")
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterUnavailable(
            f"could not create a PostgreSQL cluster: {_describe(exc)}"
        ) from exc
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _server_user() -> str | None:
    """The OS user to run the server as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    if shutil.which("runuser") is None:
        raise ClusterUnavailable("running as root and `runuser` is missing (util-linux)")
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ClusterUnavailable("running as root and neither user `postgres` nor `nobody` exists")


def _run(command: list[str], os_user: str | None, *, timeout: float) -> None:
    if os_user is not None:
        command = ["runuser", "-u", os_user, "--", *command]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout, cwd="/")


def _configure(data: Path, *, durable: bool) -> None:
    settings = {"max_connections": "200", "listen_addresses": "'127.0.0.1'"}
    if not durable:
        settings.update(_TEST_SETTINGS)
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("".join(f"{key} = {value}\n" for key, value in settings.items()))


def _options(root: Path, port: int) -> str:
    return f"-c port={port} -c unix_socket_directories={root}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _describe(exc: BaseException, log_file: Path | None = None) -> str:
    text = str(exc)
    if isinstance(exc, subprocess.CalledProcessError | subprocess.TimeoutExpired):
        output = exc.stderr or exc.stdout or ""
        text += f": {output.strip() if isinstance(output, str) else output!r}"
    if log_file is not None and log_file.exists():
        tail = log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        text += " | server log: " + " / ".join(tail)
    return text


def wait_until_accepting(url: str, timeout: float = 30.0) -> None:
    """Poll until a connection to `url` succeeds (used after restarts by tests)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
