"""Who may do what: the admin and vendor-member decorators."""
import pytest
from flask import g
from flask_login import login_user
from werkzeug.exceptions import Forbidden

from marketplace.accounts.policies import admin_required
from marketplace.vendors.policies import vendor_member_required
from tests.factories.accounts import AdminFactory, UserFactory
from tests.factories.vendors import VendorFactory, VendorMemberFactory


@vendor_member_required
def vendor_dashboard():
    return f"vendor:{g.vendor.id}"


@admin_required
def admin_dashboard():
    return "admin"


def call_as(app, user, view):
    with app.test_request_context("/vendor/"):
        if user is not None:
            login_user(user)
        return view()


def test_a_vendor_member_gets_their_vendor_in_g(app, db_session):
    member = VendorMemberFactory()

    assert call_as(app, member.user, vendor_dashboard) == f"vendor:{member.vendor.id}"


def test_a_member_of_two_vendors_always_gets_the_first_membership(app, db_session):
    member = VendorMemberFactory()
    VendorMemberFactory(user=member.user, vendor=VendorFactory())

    assert call_as(app, member.user, vendor_dashboard) == f"vendor:{member.vendor.id}"


@pytest.mark.parametrize(
    "make_user", [UserFactory, AdminFactory, lambda: UserFactory(role="vendor")]
)
def test_people_without_a_vendor_membership_are_forbidden(app, db_session, make_user):
    with pytest.raises(Forbidden):
        call_as(app, make_user(), vendor_dashboard)


def test_anonymous_visitors_are_sent_to_login_from_the_vendor_area(app, db_session):
    response = call_as(app, None, vendor_dashboard)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_only_admins_pass_admin_required(app, db_session):
    assert call_as(app, AdminFactory(), admin_dashboard) == "admin"
    with pytest.raises(Forbidden):
        call_as(app, VendorMemberFactory().user, admin_dashboard)
