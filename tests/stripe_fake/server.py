"""localstripe on loopback only, extended with what our Stripe gateway needs.

Run: `python tests/stripe_fake/server.py` — binds 127.0.0.1 on a free port and prints
`READY <port>`. localstripe itself binds every interface, keeps its state in the fixed file
/tmp/localstripe.pickle and lacks Stripe Connect; this launcher keeps state in memory only and
adds, as close to Stripe's documented behaviour as we need:

- Connect: accounts, account links, transfers and transfer reversals (over-reversal refused),
  with `account.updated` and `transfer.reversed` events;
- PaymentIntent parameters localstripe rejects (`transfer_group`, `description`, `return_url`
  and a `payment_method` given at confirmation);
- the generic decline card 4000 0000 0000 0002 declining at charge time, as Stripe does;
- refunds that never exceed what is left on the charge, with a `charge.refunded` event;
- idempotency keys: the same key replays the first answer (a different body gets a 400);
- disputes kept and readable (`GET /v1/disputes/{id}`), moved by `POST /_config/disputes/{id}`;
- fault injection for tests (`POST /_config/faults`): answer late after doing the work, or fail
  before doing it, so client timeouts and retries can be exercised for real;
- `DELETE /_config/data` also forgets webhook endpoints, idempotency keys and faults.
"""
import asyncio
import socket
import sys
import time

from aiohttp import web
from localstripe import resources as R
from localstripe import server as S
from localstripe.errors import UserError
from localstripe.webhooks import _webhooks, schedule_webhook

# State lives in memory only: never read or write localstripe's fixed pickle file, so a stale
# file cannot leak into a run and two runs cannot overwrite each other's state.
R.Store.dump_to_disk = lambda self: None
R.Store.try_load_from_disk = lambda self: None


class Account(R.StripeObject):
    object = "account"
    _id_prefix = "acct_"

    def __init__(self, type=None, country=None, email=None, capabilities=None, metadata=None,
                 business_type=None, business_profile=None, controller=None, default_currency=None,
                 settings=None, tos_acceptance=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        if type not in (None, "express", "standard", "custom"):
            raise UserError(400, "Bad request")
        super().__init__()
        self.type = type or "express"
        self.country = country or "FR"
        self.email = email
        self.metadata = metadata or {}
        self.business_type = business_type
        self.default_currency = default_currency or "eur"
        self.capabilities = {name: "inactive" for name in (capabilities or {"transfers": {}})}
        self.charges_enabled = False
        self.payouts_enabled = False
        self.details_submitted = False
        self.requirements = {"currently_due": ["external_account", "tos_acceptance.date"],
                             "disabled_reason": "requirements.past_due"}

    def _complete_onboarding(self) -> None:
        self.capabilities = {name: "active" for name in self.capabilities}
        self.payouts_enabled = True
        self.charges_enabled = "card_payments" in self.capabilities
        self.details_submitted = True
        self.requirements = {"currently_due": [], "disabled_reason": None}
        schedule_webhook(R.Event("account.updated", self))


class AccountLink:
    """Account links are not stored by Stripe either: create-only, with an expiry."""

    @staticmethod
    def _api_create(account=None, refresh_url=None, return_url=None, type=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        if type != "account_onboarding" or not refresh_url or not return_url:
            raise UserError(400, "Bad request")
        Account._api_retrieve(account)
        now = int(time.time())
        return _Exported({
            "object": "account_link",
            "created": now,
            "expires_at": now + 300,
            "url": f"{PUBLIC_BASE}/_onboarding/{account}?return_url={return_url}",
        })


class _Exported:
    def __init__(self, payload: dict):
        self.payload = payload

    def _export(self, expand=None):
        return self.payload


class Transfer(R.StripeObject):
    object = "transfer"
    _id_prefix = "tr_"

    def __init__(self, amount=None, currency=None, destination=None, transfer_group=None,
                 source_transaction=None, metadata=None, description=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        amount = R.try_convert_to_int(amount)
        if not isinstance(amount, int) or amount <= 0 or not currency:
            raise UserError(400, "Bad request")
        account = store_get("account", destination)
        if account is None:
            raise UserError(400, f"No such destination: '{destination}'",
                            {"code": "resource_missing", "param": "destination"})
        if account.capabilities.get("transfers") != "active":
            raise UserError(400, "Your destination account needs to have the transfers "
                                 "capability enabled.", {"code": "insufficient_capabilities"})
        if source_transaction is not None:
            charge = R.Charge._api_retrieve(source_transaction)
            if amount > charge.amount:
                raise UserError(400, "Transfer amount exceeds the source transaction.")
        super().__init__()
        self.amount = amount
        self.currency = currency
        self.destination = destination
        self.transfer_group = transfer_group
        self.source_transaction = source_transaction
        self.metadata = metadata or {}
        self.description = description
        self.amount_reversed = 0
        self.reversed = False
        self._reversals = []

    @property
    def reversals(self):
        listing = R.List(f"/v1/transfers/{self.id}/reversals")
        listing._list = list(self._reversals)
        return listing

    @classmethod
    def _api_reverse(cls, id, amount=None, metadata=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        transfer = cls._api_retrieve(id)
        remaining = transfer.amount - transfer.amount_reversed
        amount = remaining if amount is None else R.try_convert_to_int(amount)
        if not isinstance(amount, int) or amount <= 0:
            raise UserError(400, "Bad request")
        if amount > remaining:
            raise UserError(400, "You have already reversed this transfer, or the amount is "
                                 "greater than what is left on it.")
        reversal = TransferReversal(transfer=transfer.id, amount=amount, currency=transfer.currency,
                                    metadata=metadata)
        transfer._reversals.append(reversal)
        transfer.amount_reversed += amount
        transfer.reversed = transfer.amount_reversed == transfer.amount
        schedule_webhook(R.Event("transfer.reversed", transfer))
        return reversal


class TransferReversal(R.StripeObject):
    object = "transfer_reversal"
    _id_prefix = "trr_"

    def __init__(self, transfer, amount, currency, metadata=None):
        super().__init__()
        self.transfer = transfer
        self.amount = amount
        self.currency = currency
        self.metadata = metadata or {}


def store_get(kind: str, object_id: object):
    if not isinstance(object_id, str):
        return None
    return R.store.get(f"{kind}:{object_id}")


# --- localstripe behaviour brought closer to Stripe's -------------------------------------------

_original_pi_init = R.PaymentIntent.__init__


def _payment_intent_init(self, transfer_group=None, description=None, receipt_email=None,
                         statement_descriptor_suffix=None, automatic_payment_methods=None,
                         **kwargs):
    _original_pi_init(self, **kwargs)
    self.transfer_group = transfer_group
    self.description = description
    self.receipt_email = receipt_email
    self.statement_descriptor_suffix = statement_descriptor_suffix
    self.automatic_payment_methods = automatic_payment_methods


R.PaymentIntent.__init__ = _payment_intent_init

_original_pi_confirm = R.PaymentIntent._api_confirm.__func__


def _payment_intent_confirm(cls, id, payment_method=None, return_url=None, **kwargs):
    if payment_method is not None:
        intent = cls._api_retrieve(id)
        if intent.status not in ("requires_payment_method", "requires_confirmation"):
            raise UserError(400, "This PaymentIntent's status does not allow confirmation.",
                            {"code": "payment_intent_unexpected_state"})
        R.PaymentMethod._api_retrieve(payment_method)
        intent.payment_method = payment_method
        intent.latest_charge = None
        intent._authentication_failed = False
    return _original_pi_confirm(cls, id, **kwargs)


R.PaymentIntent._api_confirm = classmethod(_payment_intent_confirm)


def _replace_handler(app: web.Application, method: str, path: str, handler) -> None:
    """localstripe registered its routes with the original functions; point one elsewhere."""
    for route in app.router.routes():
        if route.method == method and route.resource.canonical == path:
            route._handler = handler
            return
    raise LookupError(f"{method} {path} is not a localstripe route")

_original_declined = R.PaymentMethod._charging_is_declined


def _charging_is_declined(self):
    if self.type == "card" and self._card_number == "4000000000000002":
        return True
    return _original_declined(self)


R.PaymentMethod._charging_is_declined = _charging_is_declined

_original_refund_init = R.Refund.__init__


def _refund_init(self, charge=None, payment_intent=None, amount=None, metadata=None, reason=None,
                 **kwargs):
    charge_obj = None
    if payment_intent is not None:
        intent = store_get("payment_intent", payment_intent)
        if intent is not None and intent.latest_charge is not None:
            charge_obj = intent.latest_charge
    elif charge is not None:
        charge_obj = store_get("charge", charge)
    if charge_obj is not None and amount is not None:
        left = charge_obj.amount - charge_obj.amount_refunded
        if R.try_convert_to_int(amount) > left:
            raise UserError(400, f"Refund amount ({amount}) is greater than unrefunded amount on "
                                 f"charge ({left})", {"code": "amount_too_large"})
    _original_refund_init(self, charge=charge, payment_intent=payment_intent, amount=amount,
                          metadata=metadata, **kwargs)
    self.reason = reason
    schedule_webhook(R.Event("charge.refunded", R.Charge._api_retrieve(self.charge)))


R.Refund.__init__ = _refund_init


# --- idempotency and fault injection ------------------------------------------------------------

#: (api key, Idempotency-Key) -> (request body, status, response body)
_idempotent_answers: dict[tuple[str, str], tuple[bytes, int, bytes]] = {}
_in_flight: set[tuple[str, str]] = set()
#: Faults waiting to fire: {"path": prefix, "mode": "late" | "fail_before", "delay": s, "times": n}
_faults: list[dict] = []
#: How many requests each "METHOD /path" received, for tests that count retries.
_hits: dict[str, int] = {}


def _take_fault(method: str, path: str) -> dict | None:
    for fault in _faults:
        if method == "POST" and path.startswith(fault["path"]) and fault["times"] > 0:
            fault["times"] -= 1
            return fault
    return None


@web.middleware
async def idempotency_middleware(request, handler):
    if request.path == "/_config/data" and request.method == "DELETE":
        _webhooks.clear()
        _idempotent_answers.clear()
        _faults.clear()
        _hits.clear()
        _disputes.clear()
        return await handler(request)
    if request.path.startswith("/_config/") or request.path.startswith("/_onboarding/"):
        return await handler(request)
    hit = f"{request.method} {request.path}"
    _hits[hit] = _hits.get(hit, 0) + 1
    fault = _take_fault(request.method, request.path)
    if fault is not None and fault["mode"] == "fail_before":
        return web.json_response({"error": {"type": "api_error", "message": "Injected failure"}},
                                 status=500)
    response = await _idempotent(handler, request)
    if fault is not None:
        # The work is done (and its answer kept for the key); only the answer is late.
        await asyncio.sleep(fault["delay"])
    return response


async def _idempotent(handler, request):
    """Stripe's rule: the first answer for a key is replayed; other parameters are refused."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
        return await handler(request)
    body = await request.read()
    cache_key = (request.headers.get("Authorization", ""), key)
    if cache_key in _idempotent_answers:
        first_body, status, payload = _idempotent_answers[cache_key]
        if first_body != body:
            return web.json_response({"error": {
                "type": "idempotency_error",
                "message": "Keys for idempotent requests can only be used with the same "
                           "parameters they were first used with."}}, status=400)
        return web.Response(body=payload, status=status, content_type="application/json",
                            headers={"Idempotent-Replayed": "true"})
    if cache_key in _in_flight:
        return web.json_response({"error": {"type": "idempotency_error",
                                            "message": "A request with this key is in flight."}},
                                 status=409)
    _in_flight.add(cache_key)
    try:
        response = await handler(request)
        if response.status < 500:
            _idempotent_answers[cache_key] = (body, response.status, response.body)
    finally:
        _in_flight.discard(cache_key)
    return response


async def config_fault(request):
    data = await request.json()
    _faults.append({"path": data["path"], "mode": data.get("mode", "late"),
                    "delay": float(data.get("delay", 0)), "times": int(data.get("times", 1))})
    return web.Response()


async def config_hits(request):
    return web.json_response(_hits)


async def complete_onboarding(request):
    Account._api_retrieve(request.match_info["id"])._complete_onboarding()
    return web.Response()


async def onboarding_page(request):
    return web.Response(text=f"Onboarding for {request.match_info['id']}")


#: Disputes by id, as the bank opened them and the fake's tests moved them.
_disputes: dict[str, dict] = {}


async def create_dispute(request):
    charge = R.Charge._api_retrieve(request.match_info["id"])
    dispute = {
        "id": "dp_" + R.random_id(14), "object": "dispute", "amount": charge.amount,
        "currency": charge.currency, "charge": charge.id, "payment_intent": charge.payment_intent,
        "reason": "fraudulent", "status": "needs_response", "created": int(time.time()),
    }
    _disputes[dispute["id"]] = dispute
    schedule_webhook(R.Event("charge.dispute.created", _Exported(dict(dispute))))
    return web.json_response(dispute)


async def update_dispute(request):
    """The bank moves a dispute (`status`: under_review, won, lost…); closing sends
    `charge.dispute.closed`, other moves `charge.dispute.updated`."""
    dispute = _disputes.get(request.match_info["id"])
    if dispute is None:
        return web.json_response({"error": {"type": "invalid_request_error",
                                             "code": "resource_missing",
                                             "message": "No such dispute"}}, status=404)
    dispute["status"] = (await request.post())["status"]
    closed = dispute["status"] in ("won", "lost", "warning_closed")
    event_type = "charge.dispute.closed" if closed else "charge.dispute.updated"
    schedule_webhook(R.Event(event_type, _Exported(dict(dispute))))
    return web.json_response(dispute)


async def retrieve_dispute(request):
    dispute = _disputes.get(request.match_info["id"])
    if dispute is None:
        return web.json_response({"error": {"type": "invalid_request_error",
                                             "code": "resource_missing",
                                             "message": "No such dispute"}}, status=404)
    return web.json_response(dispute)


def install(app: web.Application) -> None:
    app.middlewares.insert(0, idempotency_middleware)
    _replace_handler(app, "POST", "/v1/payment_intents/{id}/confirm",
                     S.api_extra(R.PaymentIntent._api_confirm, "/v1/payment_intents/{id}/confirm"))
    add = app.router.add_route
    add("POST", "/_config/faults", config_fault)
    add("GET", "/_config/hits", config_hits)
    add("POST", "/_config/accounts/{id}/complete_onboarding", complete_onboarding)
    add("POST", "/_config/charges/{id}/dispute", create_dispute)
    add("POST", "/_config/disputes/{id}", update_dispute)
    add("GET", "/v1/disputes/{id}", retrieve_dispute)
    add("GET", "/_onboarding/{id}", onboarding_page)
    add("POST", "/v1/account_links", S.api_extra(AccountLink._api_create, "/v1/account_links"))
    add("POST", "/v1/transfers/{id}/reversals",
        S.api_extra(Transfer._api_reverse, "/v1/transfers/{id}/reversals"))
    for cls in (Account, Transfer):
        base = f"/v1/{cls.object}s"
        add("POST", base, S.api_create(cls, base))
        add("GET", base + "/{id}", S.api_retrieve(cls, base))
        add("GET", base, S.api_list_all(cls, base))


PUBLIC_BASE = ""


def main() -> None:
    global PUBLIC_BASE
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    # Listening before READY: a client that connects before the loop runs waits in the
    # backlog instead of being refused.
    sock.listen(128)
    port = sock.getsockname()[1]
    PUBLIC_BASE = f"http://127.0.0.1:{port}"
    install(S.app)
    print(f"READY {port}", flush=True)
    web.run_app(S.app, sock=sock, print=None, access_log=None, handle_signals=True)


if __name__ == "__main__":
    main()
