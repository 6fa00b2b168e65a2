"""Vendors as the public sees them."""
from marketplace.vendors.models import VendorKind, VendorStatus
from marketplace.vendors.services import (
    get_public_vendor,
    list_featured_vendors,
    list_public_vendors,
)
from tests.factories.vendors import VendorFactory


def test_only_approved_vendors_are_public(db_session):
    approved = VendorFactory(slug="ouvert")
    VendorFactory(slug="suspendu", status=VendorStatus.SUSPENDED)
    VendorFactory(slug="candidat", status=VendorStatus.APPLIED)

    assert list_public_vendors() == [approved]
    assert get_public_vendor(slug="ouvert") == approved
    assert get_public_vendor(slug="suspendu") is None and get_public_vendor(slug="candidat") is None


def test_public_vendors_by_kind_in_name_order(db_session):
    VendorFactory(name="Ferme B", kind=VendorKind.PRODUCER)
    VendorFactory(name="Ferme A", kind=VendorKind.PRODUCER)
    VendorFactory(name="Atelier", kind=VendorKind.TEXTILE_WORKSHOP)

    assert [v.name for v in list_public_vendors(kind=VendorKind.PRODUCER)] == ["Ferme A", "Ferme B"]


def test_featured_vendors_come_first_and_others_fill_the_row(db_session):
    plain = VendorFactory(name="Sans vedette")
    featured = VendorFactory(name="En vedette", featured=True)
    VendorFactory(name="Suspendu", featured=True, status=VendorStatus.SUSPENDED)

    assert list_featured_vendors(limit=2) == [featured, plain]
    assert list_featured_vendors(limit=1) == [featured]
