"""Vendors as the public sees them: approved ones only, found by slug, kind or search."""
from collections.abc import Sequence

from sqlalchemy import Select, select

from marketplace.extensions import db

from .models import Vendor, VendorStatus


def public_vendors_statement() -> Select[tuple[Vendor]]:
    return select(Vendor).where(Vendor.status == VendorStatus.APPROVED)


def list_public_vendors(*, kind: str | None = None) -> Sequence[Vendor]:
    """Approved Vendors by name, optionally of one kind (textile workshops, producers…)."""
    statement = public_vendors_statement().order_by(Vendor.name)
    if kind:
        statement = statement.where(Vendor.kind == kind)
    return db.session.scalars(statement).all()


def list_featured_vendors(*, limit: int) -> Sequence[Vendor]:
    """The Vendors the cooperative puts forward, topped up with others when too few are."""
    statement = (
        public_vendors_statement()
        .order_by(Vendor.featured.desc(), Vendor.created_at.desc(), Vendor.id.desc())
        .limit(limit)
    )
    return db.session.scalars(statement).all()


def get_public_vendor(*, slug: str) -> Vendor | None:
    """The Vendor behind a public page, or None when unknown or not (or no longer) approved."""
    return db.session.scalars(public_vendors_statement().where(Vendor.slug == slug)).first()

