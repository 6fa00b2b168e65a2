"""The header leads each kind of user to their own area."""
from tests.factories.accounts import AdminFactory, UserFactory
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
