"""A generated project's tests never fire side effects: a handler that calls out through a real
port fails its tests (nothing is sent), and with the port faked by a Recorder they pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli_new import run

PORT = '''

class HttpMailer:
    """The real port: posts to a mail service."""

    def send(self, to: str) -> None:
        import urllib.request

        urllib.request.urlopen("http://203.0.113.7/send", data=to.encode(), timeout=5)
'''
RECEIPT_TEST = """

def test_charge_mails_a_receipt() -> None:
    from petrock_runtime.testing import make_test_app

    from shop.features import billing
    from shop.features.billing.commands import Charge

    app = make_test_app()
    billing.register(app)
    mailer = Recorder()
    fake_ports(app, mailer=mailer)
    app.execute(Charge(invoice_id="inv-1"))
    app.run_until_idle()
    assert app.dead_letters() == []
    assert mailer.calls == [PortCall("send", ("inv-1",), {})]
"""


def _pytest(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_side_effects_are_refused_unless_faked(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    spec = "--command=charge:invoice_id=str"
    assert run(capsys, "new", "feature", "billing", spec, "--allow-dirty", cwd=project_root)[0] == 0
    feature = project_root / "src/shop/features/billing"
    state = (feature / "state.py").read_text()
    state = state.replace(
        "from dataclasses import dataclass\n", "from dataclasses import dataclass, field\n"
    )
    state = state.replace(
        "@dataclass\nclass BillingState:", PORT.lstrip("\n") + "\n\n@dataclass\nclass BillingState:"
    )
    state += (
        "\n    mailer: HttpMailer = field(default_factory=HttpMailer, compare=False, repr=False)\n"
    )
    (feature / "state.py").write_text(state)
    handlers = (feature / "handlers.py").read_text()
    (feature / "handlers.py").write_text(
        handlers.rstrip("\n") + "\n    ctx.state.mailer.send(cmd.invoice_id)\n"
    )

    failed = _pytest(project_root)
    assert failed.returncode == 1
    assert "OutsideCallError: a test tried to reach 203.0.113.7:80" in failed.stdout, failed.stdout

    tests = project_root / "tests/features/test_billing.py"
    text = tests.read_text().replace(
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\nfrom petrock_runtime.testing import PortCall, Recorder, fake_ports\n",
    )
    # The user's edit of the generated tests: every app they build gets the fake mailer.
    hooked = "    billing.register(app)\n    fake_ports(app, mailer=Recorder())\n"
    text = text.replace("    billing.register(app)\n", hooked)
    tests.write_text(text + RECEIPT_TEST)
    passed = _pytest(project_root)
    assert passed.returncode == 0, passed.stdout + passed.stderr
