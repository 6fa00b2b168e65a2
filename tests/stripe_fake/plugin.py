"""Pytest fixtures for the Stripe fake: one localstripe process per session, reset per test.

`stripe_gateway` points the app's "stripe" gateway at it; `sign_event` builds webhook bodies
signed exactly as Stripe signs them (`t=<ts>,v1=<hmac-sha256>`), so verification runs for real.
"""
import hashlib
import hmac
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

SERVER = Path(__file__).with_name("server.py")
SECRET_KEY = "sk_test_lesateliers"
PUBLISHABLE_KEY = "pk_test_lesateliers"
WEBHOOK_SECRET = "whsec_test_lesateliers"


@dataclass
class LocalStripe:
    base_url: str

    def _call(self, method: str, path: str, *, check: bool = True,
              **kwargs: object) -> requests.Response:
        response = requests.request(
            method, self.base_url + path, timeout=10,
            headers={"Authorization": f"Bearer {SECRET_KEY}"}, **kwargs,
        )
        if check:
            response.raise_for_status()
        return response

    def post(self, path: str, *, check: bool = True, **data: object) -> dict:
        """Act as someone else would at Stripe (the customer's browser, the dashboard)."""
        return self._call("POST", path, data=data, check=check).json()

    def reset(self) -> None:
        self._call("DELETE", "/_config/data")

    def inject_fault(
        self, path: str, *, mode: str = "late", delay: float = 0, times: int = 1
    ) -> None:
        """`late`: do the work, then answer after `delay` s; `fail_before`: answer 500 at once."""
        self._call("POST", "/_config/faults",
                   json={"path": path, "mode": mode, "delay": delay, "times": times})

    def hits(self, path: str, *, method: str = "POST") -> int:
        return self._call("GET", "/_config/hits").json().get(f"{method} {path}", 0)

    def complete_onboarding(self, account_id: str) -> None:
        self._call("POST", f"/_config/accounts/{account_id}/complete_onboarding")

    def open_dispute(self, charge_id: str) -> dict:
        return self._call("POST", f"/_config/charges/{charge_id}/dispute").json()

    def move_dispute(self, dispute_id: str, status: str) -> dict:
        """What the bank does later: review, then win or lose the dispute."""
        return self._call("POST", f"/_config/disputes/{dispute_id}", data={"status": status}).json()

    def send_webhooks_to(self, url: str, *, secret: str = WEBHOOK_SECRET) -> None:
        self._call("POST", "/_config/webhooks/lesateliers", data={"url": url, "secret": secret})

    def list(self, resource: str, **params: object) -> list[dict]:
        return self._call("GET", f"/v1/{resource}", params={"limit": 100, **params}).json()["data"]

    def get(self, resource: str, object_id: str) -> dict:
        return self._call("GET", f"/v1/{resource}/{object_id}").json()

    def card(self, number: str) -> str:
        """A card PaymentMethod, as Stripe.js would create it from what the customer typed."""
        return self._call("POST", "/v1/payment_methods", data={
            "type": "card", "card[number]": number, "card[exp_month]": "12",
            "card[exp_year]": "2034", "card[cvc]": "123",
        }).json()["id"]

    def authenticate(self, intent: dict, *, success: bool = True) -> dict:
        """What the customer's bank does in the 3-D Secure window."""
        return self._call(
            "POST", f"/v1/payment_intents/{intent['id']}/_authenticate",
            data={"key": PUBLISHABLE_KEY, "client_secret": intent["client_secret"],
                  "success": "true" if success else "false"},
        ).json()


@pytest.fixture(scope="session")
def localstripe_server(tmp_path_factory):
    log = (tmp_path_factory.mktemp("localstripe") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(SERVER)], stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError(f"localstripe did not start: {line!r} (log: {log.name})")
        yield LocalStripe(f"http://127.0.0.1:{int(line.split()[1])}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.close()


@pytest.fixture
def localstripe(localstripe_server):
    localstripe_server.reset()
    return localstripe_server


@pytest.fixture
def stripe_gateway(app, localstripe):
    """The app's "stripe" gateway, talking to the fake; configuration restored afterwards."""
    settings = {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": localstripe.base_url,
        "STRIPE_TIMEOUT_SECONDS": 1.0,
    }
    saved = {key: app.config.get(key) for key in (*settings, "PAYMENT_GATEWAY")}
    app.config.update(settings, PAYMENT_GATEWAY="stripe")
    gateways = app.extensions.setdefault("payment_gateways", {})
    gateways.pop("stripe", None)
    from marketplace.payments.stripe_gateway import StripeGateway

    gateway = StripeGateway.from_app(app)
    gateways["stripe"] = gateway
    yield gateway
    gateways.pop("stripe", None)
    app.config.update(saved)


def signature_header(
    payload: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event_body(event_type: str, obj: dict, *, event_id: str, created: int | None = None) -> bytes:
    return json.dumps({
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": created or int(time.time()),
        "livemode": False,
        "api_version": "2026-10-28.endive",
        "data": {"object": obj},
    }).encode()


def stripe_settings(localstripe: LocalStripe, **extra: object) -> dict:
    """Config overrides for an app (or a worker subprocess) whose gateway is this fake."""
    return {
        "PAYMENT_GATEWAY": "stripe",
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": localstripe.base_url,
        **extra,
    }
