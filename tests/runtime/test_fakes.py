"""The test kit's fakes for side effects: Recorder, fake_ports and no_outside_calls."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest
from petrock_runtime import CommandWorker, Message, WorkerContext
from petrock_runtime.testing import (
    OutsideCallError,
    PortCall,
    Recorder,
    fake_ports,
    make_test_app,
    no_outside_calls,
)

from .cmds import Charge


class RealMailer:
    def send(self, to: str, subject: str) -> str:
        raise AssertionError("the real mailer must not run in a test")


@dataclass
class MailState:
    sent: list[int] = field(default_factory=list)
    mailer: Any = field(default_factory=RealMailer, compare=False, repr=False)


def handle_charge(ctx: WorkerContext[MailState], cmd: Charge, msg: Message) -> None:
    ctx.state.sent.append(msg.id)
    if ctx.is_replay:
        return
    ctx.state.receipt = ctx.state.mailer.send(cmd.invoice_id, subject="receipt")


def build_worker() -> CommandWorker[MailState]:
    worker = CommandWorker("mail", "Mails receipts", state=MailState())
    worker.on_command(Charge, handle_charge)
    return worker


def test_a_recorder_on_the_port_records_the_side_effect_instead_of_firing_it() -> None:
    app = make_test_app()
    app.register_commands(Charge)
    app.register_worker(build_worker())
    mailer = Recorder(send="queued")
    fake_ports(app, mailer=mailer)
    app.execute(Charge(invoice_id="inv-1", amount_cents=5))
    app.run_until_idle()
    assert app.dead_letters() == []
    assert mailer.calls == [PortCall("send", ("inv-1",), {"subject": "receipt"})]
    assert mailer.names() == ["send"]
    assert app.workers()[0].state.receipt == "queued"


def test_a_recorder_can_raise_and_a_misspelt_port_is_refused() -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise TimeoutError("mail server down")

    mailer = Recorder(send=refuse)
    with pytest.raises(TimeoutError):
        mailer.send("x")
    assert mailer.names() == ["send"]
    app = make_test_app()
    app.register_worker(build_worker())
    with pytest.raises(ValueError, match="no worker state of this app has a port 'mailr'"):
        fake_ports(app, mailr=Recorder())


def test_no_outside_calls_refuses_remote_addresses_but_not_loopback() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    accepted = threading.Thread(target=lambda: server.accept()[0].close(), daemon=True)
    accepted.start()
    with no_outside_calls():
        with pytest.raises(OutsideCallError, match=r"203\.0\.113\.1:80"):
            socket.create_connection(("203.0.113.1", 80), timeout=1)
        with pytest.raises(OutsideCallError, match=r"example\.org"):
            socket.create_connection(("example.org", 443), timeout=1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
        assert socket.getaddrinfo("localhost", 80)
    accepted.join(timeout=5)
    server.close()
    assert socket.socket.connect.__qualname__ == "socket.connect"  # restored
