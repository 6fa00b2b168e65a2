"""Vendors (workshops, farms, food makers) and the people who act for them."""
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db


class VendorKind(StrEnum):
    TEXTILE_WORKSHOP = "textile_workshop"
    PRODUCER = "producer"
    FOOD_MAKER = "food_maker"
    OTHER = "other"


class VendorStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    SUSPENDED = "suspended"


class Vendor(TimestampMixin, db.Model):
    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30), default=VendorKind.OTHER)
    tagline: Mapped[str] = mapped_column(String(200), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default=VendorStatus.APPLIED)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    #: Commission kept by the cooperative, in basis points (1200 = 12 %).
    commission_rate_bps: Mapped[int] = mapped_column(Integer, default=1200)
    siret: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    vat_registered: Mapped[bool] = mapped_column(Boolean, default=True)
    stripe_account_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Last number used for invoices issued in the Vendor's name (billing mandate).
    invoice_sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: Vendor shipping: one flat fee per VendorOrder, free from the threshold (goods total).
    shipping_flat_cents: Mapped[int] = mapped_column(Integer, default=690)
    free_shipping_threshold_cents: Mapped[int | None] = mapped_column(Integer)
    logo_path: Mapped[str | None] = mapped_column(String(255))
    #: Full-text vector (name, tagline, town, story) kept by a PostgreSQL trigger; see
    #: catalog.search.
    search_vector: Mapped[str | None] = mapped_column(
        TSVECTOR().with_variant(Text(), "sqlite"), deferred=True
    )

    members: Mapped[list["VendorMember"]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(
            "kind IN ('textile_workshop', 'producer', 'food_maker', 'other')", name="kind"
        ),
        CheckConstraint("status IN ('applied', 'approved', 'suspended')", name="status"),
        CheckConstraint(
            "commission_rate_bps >= 0 AND commission_rate_bps <= 10000", name="commission_rate"
        ),
        CheckConstraint("shipping_flat_cents >= 0", name="shipping_flat_non_negative"),
        Index("ix_vendors_search_vector", "search_vector", postgresql_using="gin"),
        # Storefront listings keep out the Products of the few Vendors that are not approved:
        # they find them in this small index rather than by reading the whole (wide) table.
        Index(
            "ix_vendors_not_approved",
            "id",
            postgresql_where=text("status <> 'approved'"),
            sqlite_where=text("status <> 'approved'"),
        ),
    )

    @property
    def is_approved(self) -> bool:
        return self.status == VendorStatus.APPROVED


class VendorMember(TimestampMixin, db.Model):
    """A User who acts for a Vendor (owner or staff)."""

    __tablename__ = "vendor_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)

    vendor: Mapped[Vendor] = relationship(back_populates="members")
    user: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("vendor_id", "user_id"),)


from marketplace.accounts.models import User  # noqa: E402,F401  (string relationship target)
