"""A Customer downloads what is kept about them, and deletes their account."""
import html
import json
from datetime import timedelta

from sqlalchemy import select

from marketplace.accounts.models import Address, User
from marketplace.cart.models import Cart
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.services import expire_unpaid_orders
from tests.factories.accounts import AddressFactory, AdminFactory, UserFactory
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorFactory, VendorMemberFactory

PASSWORD = "laine-tuile-ciel-81"


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def placed_by(user, variant, now=None):
    order = check_out(fill_cart((variant, 1)), email=user.email, now=now)
    order.customer_id = user.id
    return order


def customer_with_history():
    """Léa, with an address, a cart and one Order that ran its course (expired)."""
    from marketplace.accounts.services import hash_password

    user = UserFactory(email="lea@example.fr", full_name="Léa Martin",
                       password_hash=hash_password(PASSWORD))
    AddressFactory(user=user, line1="5 rue de la Platé")
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory(), name="Écharpe"),
                             stock=5, size="")
    order = placed_by(user, variant, now=utcnow() - timedelta(hours=3))
    expire_unpaid_orders(now=utcnow())
    fill_cart((variant, 2), user=user)
    db.session.commit()
    return user, order


def test_the_export_holds_the_account_addresses_cart_and_orders(client, login_as, db_session):
    user, order = customer_with_history()
    login_as(user)

    response = client.get("/account/data/export")

    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "lea@example.fr"
    assert data["addresses"][0]["line1"] == "5 rue de la Platé"
    assert data["carts"][0][0]["quantity"] == 2
    assert data["orders"][0]["number"] == order.number
    assert data["orders"][0]["parts"][0]["lines"][0]["product"] == "Écharpe"


def test_deleting_erases_the_person_and_keeps_the_orders_unlinked(client, login_as, db_session):
    user, order = customer_with_history()
    login_as(user)

    response = client.post("/account/data", data={"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.email != "lea@example.fr" and erased.full_name == "" and not erased.active
    assert db.session.scalar(select(Address).where(Address.user_id == user.id)) is None
    assert db.session.scalar(select(Cart).where(Cart.user_id == user.id)) is None
    kept = db.session.get(Order, order.id)
    assert kept.customer_id is None and kept.email == "lea@example.fr"  # the invoice's copy
    assert client.get("/account").status_code == 302                   # signed out
    assert client.post("/login", data={"email": "lea@example.fr",
                                       "password": PASSWORD}).status_code == 422


def test_a_wrong_password_deletes_nothing(client, login_as, db_session):
    user, _order = customer_with_history()
    login_as(user)

    response = client.post("/account/data", data={"password": "wrong", "confirm": "y"})

    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in text_of(response)
    assert db.session.get(User, user.id).email == "lea@example.fr"


def test_an_order_in_progress_holds_the_deletion_back_and_says_which(client, login_as, db_session):
    user, _old = customer_with_history()
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory()), stock=5, size="")
    current = placed_by(user, variant)
    login_as(user)

    assert current.number in text_of(client.get("/account/data"))
    response = client.post("/account/data", data={"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 422
    assert f"La commande {current.number} est en cours" in text_of(response)
    assert db.session.get(User, user.id).active


def test_vendor_members_and_admins_cannot_delete_themselves(client, login_as, db_session):
    from marketplace.accounts.services import hash_password

    for user in (VendorMemberFactory().user, AdminFactory()):
        user.password_hash = hash_password(PASSWORD)
        db.session.commit()
        login_as(user)
        response = client.post("/account/data", data={"password": PASSWORD, "confirm": "y"})
        assert response.status_code == 422
        assert db.session.get(User, user.id).active
