"""Side effects in tests: recorders for ports, swapping them into workers, and a network guard.

Handlers reach the outside world (HTTP, mail, payment) through *ports*: objects kept on the
worker's state, e.g. `mailer: Mailer = field(default_factory=SmtpMailer, compare=False)`. A test
swaps a `Recorder` in with `fake_ports(app, mailer=recorder)`, runs the app, and asserts on
`recorder.calls`. `no_outside_calls()` makes any connection beyond this machine fail the test, so
a side effect that was not faked is found instead of fired.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from petrock_runtime._app import App

__all__ = ["OutsideCallError", "PortCall", "Recorder", "fake_ports", "no_outside_calls"]


@dataclass(frozen=True)
class PortCall:
    """One call a handler made on a fake port: the method's name and its arguments."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


class Recorder:
    """A fake port: any method called on it is recorded in `calls` and does nothing else.

    `Recorder(charge={"id": "ch_1"})` makes `recorder.charge(...)` return that value (a callable
    value is called with the arguments instead, e.g. to raise); other methods return None.
    """

    def __init__(self, **returns: Any) -> None:
        self.calls: list[PortCall] = []
        self._returns = returns

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def method(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(PortCall(name, args, kwargs))
            value = self._returns.get(name)
            return value(*args, **kwargs) if callable(value) else value

        return method

    def names(self) -> list[str]:
        """The names of the methods called, in order."""
        return [call.name for call in self.calls]


def fake_ports(app: App, **fakes: object) -> None:
    """Set each named port on the state of every worker of `app` that has one; `ValueError` when
    no worker's state has a port of that name (a misspelt port would otherwise stay real)."""
    for name, fake in fakes.items():
        states = [w.state for w in app.workers() if hasattr(w.state, name)]
        if not states:
            raise ValueError(f"no worker state of this app has a port {name!r}")
        for state in states:
            setattr(state, name, fake)


class OutsideCallError(RuntimeError):
    """A test tried to reach beyond this machine (not an `OSError`, so that code which retries
    on network errors does not swallow it)."""


@contextmanager
def no_outside_calls() -> Iterator[None]:
    """Inside the block, connecting a socket to anything but loopback (or a Unix socket), or
    looking up a host name other than localhost, raises `OutsideCallError` naming the address;
    local servers (a test database) still work."""
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None:
            _check_host(host.decode() if isinstance(host, bytes) else str(host), None)
        return original_getaddrinfo(host, *args, **kwargs)

    def connect(sock: socket.socket, address: Any) -> None:
        _check(sock, address)
        original_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        _check(sock, address)
        return original_connect_ex(sock, address)

    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = original_getaddrinfo


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        _check_host(str(address[0]), address[1])


def _check_host(host: str, port: object) -> None:
    """Loopback addresses and localhost pass; other numeric addresses pass a look-up (it sends
    nothing) but not a connect; other names are refused (resolving one is an outside call)."""
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        if host in ("localhost", "") or host.endswith(".localhost"):
            return
    else:
        if address.is_loopback or port is None:
            return
    where = host if port is None else f"{host}:{port}"
    raise OutsideCallError(
        f"a test tried to reach {where}; fake the side effect instead "
        "(a Recorder on the worker's port: petrock_runtime.testing.fake_ports)"
    )
