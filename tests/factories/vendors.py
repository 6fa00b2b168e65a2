"""Factories for Vendors and their members."""
import factory

from marketplace.vendors.models import Vendor, VendorKind, VendorMember, VendorStatus

from .accounts import UserFactory
from .base import ModelFactory


class VendorFactory(ModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Atelier n°{n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    kind = VendorKind.TEXTILE_WORKSHOP
    town = "Castres"
    story = "Un atelier du Tarn."
    status = VendorStatus.APPROVED
    commission_rate_bps = 1200
    shipping_flat_cents = 690
    free_shipping_threshold_cents = 6000


class VendorMemberFactory(ModelFactory):
    class Meta:
        model = VendorMember

    vendor = factory.SubFactory(VendorFactory)
    user = factory.SubFactory(UserFactory, role="vendor")
    is_owner = True
