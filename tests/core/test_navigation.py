"""The header leads each kind of user to their own area."""
import re

from tests.factories.accounts import AdminFactory, UserFactory
from tests.factories.catalog import VariantFactory
from tests.factories.vendors import VendorMemberFactory


def test_admin_sees_the_administration_link(client, login_as):
    login_as(AdminFactory())
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' in page or 'href="/admin"' in page
    assert "Espace atelier" not in page


def test_vendor_member_sees_the_vendor_space_link(client, login_as):
    member = VendorMemberFactory()
    login_as(member.user)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/vendor/payments"' in page
    assert "Administration" not in page


def test_customer_sees_neither_area(client, login_as):
    login_as(UserFactory())
    page = client.get("/").get_data(as_text=True)
    assert "Administration" not in page
    assert "Espace atelier" not in page


def _nav(page: str) -> str:
    return re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)


def test_the_kept_header_follows_the_visitor_their_cart_and_the_page(client, login_as):
    """The header is written once per state and reused: each visitor still sees their own."""
    variant = VariantFactory(product__slug="pelote", stock=5)
    for _ in range(2):
        anonymous = client.get("/products/pelote").get_data(as_text=True)
        assert "Connexion" in _nav(anonymous) and "Déconnexion" not in _nav(anonymous)
        assert 'href="/login?next=/products/pelote"' in anonymous
        assert "(0)" in _nav(anonymous)
    search = client.get("/search?q=laine").get_data(as_text=True)
    assert 'name="q" maxlength="200" value="laine"' in search

    client.post("/cart/add", data={"variant_id": variant.id, "quantity": 2, "next": "/"})
    assert "(2)" in _nav(client.get("/products/pelote").get_data(as_text=True))

    login_as(UserFactory())
    member = client.get("/products/pelote").get_data(as_text=True)
    assert "Déconnexion" in _nav(member) and "Connexion</span>" not in _nav(member)

    with client.session_transaction() as session:
        session["lang"] = "en"
    assert "Sign out" in _nav(client.get("/products/pelote").get_data(as_text=True))
