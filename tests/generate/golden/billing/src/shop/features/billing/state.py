"""State of the billing feature's workers.

This file is yours: petrock creates it once and afterwards only adds classes for new workers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BillingState:
    """What the billing worker remembers, rebuilt from the log on every start.

    Add fields with defaults, e.g. `charged: dict[str, int] = field(default_factory=dict)`, and
    change them in the handlers: handlers run again during replay to rebuild this state.
    Reach the outside world through a port kept here, e.g. `mailer: Mailer = field(
    default_factory=SmtpMailer, compare=False, repr=False)`; tests swap in a fake with
    `fake_ports(app, mailer=Recorder())` from `petrock_runtime.testing`.
    """


@dataclass
class NotifierState:
    """What the billing/notifier worker remembers, rebuilt from the log on every start.

    Add fields with defaults, e.g. `charged: dict[str, int] = field(default_factory=dict)`, and
    change them in the handlers: handlers run again during replay to rebuild this state.
    Reach the outside world through a port kept here, e.g. `mailer: Mailer = field(
    default_factory=SmtpMailer, compare=False, repr=False)`; tests swap in a fake with
    `fake_ports(app, mailer=Recorder())` from `petrock_runtime.testing`.
    """
