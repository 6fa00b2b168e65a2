"""Every route and every form answers bad input with a 4xx or a form error, never a 500.

The test walks the whole URL map as a signed-in Admin who also acts for a Vendor (so admin,
vendor and customer pages are all reachable), with real objects behind each id, and sends
each route out-of-range integers, NUL and control characters, very long values and wrong
types, in the URL, the query string and every field of the page's forms.
"""
import re

import pytest

from marketplace.extensions import db
from tests.factories.accounts import AddressFactory, AdminFactory
from tests.factories.catalog import CategoryFactory, make_product_for_sale
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorMemberFactory

#: Values no field or parameter should turn into a 500.
BAD_VALUES = (
    "9" * 40,                # beyond every integer column
    "2147483648",
    "-2147483649",
    "1e999",
    "x" * 100_000,
    "<a href=//ev.il>€</a>",
    "\u202e\u00a0",
    "a\x00b",                # refused as a whole request
)
OUT_OF_RANGE_IDS = (2**31, 2**63)
#: Query parameters the storefront and the back office read.
QUERY_NAMES = ("page", "q", "min_price", "max_price", "sort", "category", "vendor", "status",
               "kind", "lang", "next", "token", "before", "after", "per_page")
#: Routes that answer machines, each checked by its own tests.
SKIPPED_ENDPOINTS = {"static", "payments.stripe_webhook"}


@pytest.fixture
def world(db_session):
    """An Admin acting for a Vendor, with an address, a cart line, an Order and delivery."""
    member = VendorMemberFactory(user=AdminFactory())
    user = member.user
    product = make_product_for_sale(vendor=member.vendor, category=CategoryFactory())
    variant = product.variants[0]
    address = AddressFactory(user=user)
    order = check_out(fill_cart((variant, 1)), email="guest@example.fr")
    cart = fill_cart((variant, 1), user=user)
    db.session.commit()
    return {
        "user": user,
        "ids": {
            "address_id": address.id,
            "round_id": DeliveryRoundFactory(zone=DeliveryZoneFactory()).id,
            "zone_id": DeliveryZoneFactory().id,
            "slot_id": PickupSlotFactory().id,
            "line_id": cart.lines[0].id,
            "vendor_order_id": order.vendor_orders[0].id,
            "product_id": product.id,
            "variant_id": variant.id,
            "vendor_id": member.vendor.id,
        },
        "values": {
            "number": order.number,
            "kind": "terms_of_sale",
            "account_ref": member.vendor.stripe_account_id or "acct_unknown",
            "key": "products/none.jpg",
        },
        "slugs": {"catalog.category": product.category.slug,
                  "vendors.vendor_detail": member.vendor.slug},
        "default_slug": product.slug,
        "token": order.access_token,
    }


def _rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.endpoint not in SKIPPED_ENDPOINTS),
                  key=lambda rule: rule.rule)


def _good_arguments(rule, world) -> dict:
    arguments = {}
    for name in rule.arguments:
        if name in world["ids"]:
            arguments[name] = world["ids"][name]
        elif name in world["values"]:
            arguments[name] = world["values"][name]
        elif name == "slug":
            arguments[name] = world["slugs"].get(rule.endpoint, world["default_slug"])
        elif type(rule._converters[name]).__name__.endswith("IntegerConverter"):
            arguments[name] = 1
        else:
            arguments[name] = "x"
    return arguments


def _path(app, rule, arguments) -> str:
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(rule.endpoint, arguments, force_external=False)


REFLECTED = "<a href=//ev.il>"
FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'<form[^>]*action="([^"?]*)')
FIELD = re.compile(
    r'<(input|select|textarea|button)[^>]*\bname="([^"]+)"[^>]*?(?:\bvalue="([^"]*)")?[^>]*>'
    r'(?:\s*<option[^>]*value="([^"]*)")?'
)
#: Values sent to one field at a time, the others keeping what the page filled in.
ONE_FIELD_VALUES = ("2147483648", "9" * 40, "x" * 100_000, REFLECTED)


def _forms_by_action(page: str, path: str) -> dict[str, dict[str, str]]:
    """Each form on the page that posts, keyed by the path it posts to: its fields' values."""
    forms: dict[str, dict[str, str]] = {}
    for match in FORM.finditer(page):
        action = ACTION.search(match.group(0))
        target = action.group(1) if action and action.group(1) else path
        fields = forms.setdefault(target, {})
        for _tag, name, value, first_option in FIELD.findall(match.group(1)):
            if name != "csrf_token":
                fields.setdefault(name, value or first_option or "1")
    return forms


class Walk:
    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []

    def send(self, method: str, path: str, **kwargs) -> str:
        try:
            response = self.client.open(path, method=method, **kwargs)
        except Exception as error:  # the test client re-raises what would be a 500
            db.session.rollback()
            self.failures.append(f"{method} {path[:120]} {kwargs.get('data', '')!r:.120}: "
                                 f"{type(error).__name__}: {str(error)[:200]}")
            return ""
        body = response.get_data(as_text=True)
        if response.status_code >= 500:
            self.failures.append(f"{method} {path[:120]}: {response.status_code}")
        elif response.mimetype == "text/html" and REFLECTED in body:
            self.failures.append(f"{method} {path[:120]}: prints the visitor's HTML unescaped")
        return body if response.status_code == 200 else ""


def test_no_route_answers_bad_input_with_a_500(app, client, login_as, world):
    login_as(world["user"])
    walk = Walk(client)
    forms: dict[str, dict[str, str]] = {}
    for rule in _rules(app):  # every page once, to learn each form's fields
        if "GET" in rule.methods:
            path = _path(app, rule, _good_arguments(rule, world))
            for action, fields in _forms_by_action(
                walk.send("GET", f"{path}?token={world['token']}"), path
            ).items():
                forms.setdefault(action, {}).update(fields)

    for rule in _rules(app):
        arguments = _good_arguments(rule, world)
        path = _path(app, rule, arguments)
        filled = forms.get(path) or dict.fromkeys(
            ("email", "name", "quantity", "amount", "reason", "variant_id"), "1"
        )

        for name, converter in rule._converters.items():
            if type(converter).__name__.endswith("IntegerConverter"):
                for bad_id in OUT_OF_RANGE_IDS:
                    bad_path = _path(app, rule, {**arguments, name: bad_id})
                    for method in rule.methods & {"GET", "POST"}:
                        walk.send(method, bad_path)
            else:
                walk.send(sorted(rule.methods & {"GET", "POST"})[0],
                          _path(app, rule, {**arguments, name: "a\x00b"}))
        for value in BAD_VALUES:
            if "GET" in rule.methods:
                walk.send("GET", path, query_string={name: value for name in QUERY_NAMES})
            if "POST" in rule.methods:
                walk.send("POST", f"{path}?token={world['token']}",
                          data=dict.fromkeys(filled, value))
                login_as(world["user"])  # a POST may have signed the visitor out
        if "POST" in rule.methods:
            for name in filled:
                for value in ONE_FIELD_VALUES:
                    walk.send("POST", f"{path}?token={world['token']}",
                              data={**filled, name: value})
                    login_as(world["user"])
    assert not walk.failures, "\n".join(walk.failures)
