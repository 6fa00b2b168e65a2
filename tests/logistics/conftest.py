"""Paid Orders booked in one Delivery round and one Pickup slot, from two Vendors."""
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.payments.services import confirm_payment
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory
from tests.factories.orders import CASTRES_ADDRESS, by_round, check_out, fill_cart, pickup
from tests.factories.vendors import VendorFactory

NOW = datetime.now(UTC).replace(microsecond=0)
#: After the cut-off of the round and slot below.
LATER = NOW + timedelta(days=2)

MAZAMET = {**CASTRES_ADDRESS, "full_name": "Jules Martin", "postcode": "81200",
           "city": "Mazamet", "line1": "1 rue de la Gare", "phone": "05 63 00 00 01"}
SAIX = {**CASTRES_ADDRESS, "full_name": "Inès Roux", "postcode": "81710", "city": "Saïx",
        "line1": "5 chemin du Moulin", "phone": "05 63 00 00 02"}
LABRUGUIERE = {**CASTRES_ADDRESS, "full_name": "Léa Petit", "postcode": "81290",
               "city": "Labruguière", "line1": "2 avenue de Castres", "phone": ""}


def pay(order):  # noqa: ANN001, ANN201
    confirm_payment(payment=order.payment, payment_method="4242424242424242", now=NOW)
    return order


@pytest.fixture
def hub(db_session):
    return build_hub()


def build_hub() -> dict:
    """Two Vendors; a round through Castres, Mazamet, Saïx and Labruguière; a pickup slot."""
    weaver = VendorFactory(name="Tissage Azaïs", contact_email="tissage@example.fr")
    honey = VendorFactory(name="Rucher d'Anglès", contact_email="rucher@example.fr")
    scarf = VariantFactory(product=ProductFactory(vendor=weaver, name="Écharpe"),
                           price_cents=4500, weight_grams=300)
    jar = VariantFactory(product=ProductFactory(vendor=honey, name="Miel"),
                         price_cents=900, weight_grams=500)
    zone = DeliveryZoneFactory(postcodes=["81100", "81200", "81710", "81290"])
    delivery_round = DeliveryRoundFactory(
        zone=zone, cutoff_at=NOW + timedelta(days=1),
        delivery_date=(NOW + timedelta(days=3)).date(),
    )
    slot = PickupSlotFactory(starts_at=NOW + timedelta(days=1, hours=2),
                             ends_at=NOW + timedelta(days=1, hours=5),
                             cutoff_at=NOW + timedelta(days=1))
    orders = {
        "mazamet": pay(check_out(fill_cart((scarf, 1), (jar, 2)), address=MAZAMET,
                                 delivery=by_round(delivery_round), now=NOW,
                                 email="jules@example.fr")),
        "castres": pay(check_out(fill_cart((jar, 1)), delivery=by_round(delivery_round),
                                 now=NOW, email="camille@example.fr")),
        "saix": pay(check_out(fill_cart((scarf, 2)), address=SAIX,
                              delivery=by_round(delivery_round), now=NOW,
                              email="ines@example.fr")),
        "labruguiere": pay(check_out(fill_cart((scarf, 1)), address=LABRUGUIERE,
                                     delivery=by_round(delivery_round), now=NOW,
                                     email="lea@example.fr")),
        # Booked but never paid: holds a stop, goes in no list.
        "unpaid": check_out(fill_cart((jar, 1)), delivery=by_round(delivery_round), now=NOW,
                            email="late@example.fr"),
        "pickup": pay(check_out(fill_cart((scarf, 1), (jar, 1)), delivery=pickup(slot),
                                now=NOW, email="paul@example.fr")),
    }
    return {"weaver": weaver, "honey": honey, "round": delivery_round, "slot": slot,
            "zone": zone, "orders": orders, "scarf": scarf, "jar": jar}
