"""Commands, state and workers shared by the runtime tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from petrock_runtime import Command, CommandWorker, Message, ValidationError, WorkerContext


@dataclass(frozen=True)
class Charge(Command, name="billing/charge"):
    invoice_id: str
    amount_cents: int

    def validate(self) -> None:
        if self.amount_cents <= 0:
            raise ValidationError("amount_cents", "must be positive")


@dataclass(frozen=True)
class Refund(Command, name="billing/refund"):
    invoice_id: str


@dataclass(frozen=True)
class Note(Command, name="misc/note"):
    text: str


@dataclass
class BillingState:
    charged: dict[str, int] = field(default_factory=dict)
    live: list[int] = field(default_factory=list)
    replayed: list[int] = field(default_factory=list)


def handle_charge(ctx: WorkerContext[BillingState], cmd: Charge, msg: Message) -> None:
    ctx.state.charged[cmd.invoice_id] = msg.id
    if ctx.is_replay:
        ctx.state.replayed.append(msg.id)
        return
    ctx.state.live.append(msg.id)


def build_billing() -> CommandWorker[BillingState]:
    worker = CommandWorker("Billing Worker", "Charges invoices", state=BillingState())
    worker.on_command(Charge, handle_charge)
    return worker
