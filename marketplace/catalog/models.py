"""The catalogue: Categories, Products, their Variants and pictures."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db
from marketplace.vendors.models import Vendor

#: Full-text vector on PostgreSQL (kept up to date by a trigger); plain text on SQLite.
SearchVector = TSVECTOR().with_variant(Text(), "sqlite")


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class StockState(StrEnum):
    """What a customer is told about availability."""

    IN_STOCK = "in_stock"
    LOW = "low"
    SOLD_OUT = "sold_out"


def product_stock_state(*, available: int, low_stock_threshold: int) -> StockState:
    """Sold out when no active Variant is left; low when what is left fits one threshold.

    `low_stock_threshold` is the largest among the Product's active Variants.
    """
    if available <= 0:
        return StockState.SOLD_OUT
    if available <= low_stock_threshold:
        return StockState.LOW
    return StockState.IN_STOCK


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))  # French, the shop's first language
    name_en: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: VAT rate given to new Products of this category (550 = 5.5 %, 2000 = 20 %).
    default_vat_rate_bps: Mapped[int] = mapped_column(Integer, default=2000)

    parent: Mapped["Category | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Category"]] = relationship(
        back_populates="parent", order_by="Category.position"
    )

    def name_for(self, locale: str) -> str:
        """The name in the visitor's language, French when no translation was entered."""
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ProductStatus.DRAFT)
    vat_rate_bps: Mapped[int] = mapped_column(Integer)
    #: Where it comes from: commune, farm or workshop.
    origin: Mapped[str] = mapped_column(String(160), default="")
    making_details: Mapped[str] = mapped_column(Text, default="")
    made_at_hub: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Lowest price among active Variants, kept by the catalogue services for listing sorts.
    from_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    search_vector: Mapped[str | None] = mapped_column(SearchVector, deferred=True)

    vendor: Mapped[Vendor] = relationship()
    category: Mapped[Category] = relationship()
    variants: Mapped[list["Variant"]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Variant.position"
    )
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'active', 'archived')", name="status"),
        CheckConstraint("vat_rate_bps >= 0 AND vat_rate_bps <= 10000", name="vat_rate"),
        CheckConstraint("from_price_cents >= 0", name="from_price_non_negative"),
        # Listings read a page straight from an index in their sort order, and count their
        # Products from the index alone (vendor_id is there for the approved-Vendor check).
        Index("ix_products_status_published", "status", "published_at", "vendor_id"),
        Index("ix_products_status_price", "status", "from_price_cents", "id", "vendor_id"),
        Index("ix_products_vendor_listing", "vendor_id", "status", "published_at"),
        Index("ix_products_category_listing", "category_id", "status", "published_at", "vendor_id"),
        Index("ix_products_search_vector", "search_vector", postgresql_using="gin"),
    )

    @property
    def active_variants(self) -> list["Variant"]:
        return [variant for variant in self.variants if variant.active]

    @property
    def available_stock(self) -> int:
        return sum(variant.stock for variant in self.active_variants)

    @property
    def stock_state(self) -> StockState:
        variants = self.active_variants
        thresholds = [variant.low_stock_threshold for variant in variants]
        return product_stock_state(
            available=sum(variant.stock for variant in variants),
            low_stock_threshold=max(thresholds, default=0),
        )

    @property
    def has_active_variants(self) -> bool:
        return any(variant.active for variant in self.variants)

    @property
    def has_several_prices(self) -> bool:
        return len({variant.price_cents for variant in self.active_variants}) > 1

    @property
    def cover_image(self) -> "ProductImage | None":
        return self.images[0] if self.images else None


class Variant(TimestampMixin, db.Model):
    __tablename__ = "variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    #: Copied from the Product so that SKUs can be unique per Vendor in the database.
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))
    sku: Mapped[str] = mapped_column(String(64))
    size: Mapped[str] = mapped_column(String(40), default="")
    colour: Mapped[str] = mapped_column(String(40), default="")
    #: Weight or unit as sold: "250 g", "la pièce", "bocal 350 g".
    unit: Mapped[str] = mapped_column(String(40), default="")
    price_cents: Mapped[int] = mapped_column(Integer)  # VAT included
    stock: Mapped[int] = mapped_column(Integer, default=0)
    #: Shipping weight, used for delivery round capacity.
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=3)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="variants")

    __table_args__ = (
        UniqueConstraint("vendor_id", "sku"),
        CheckConstraint("price_cents >= 0", name="price_non_negative"),
        CheckConstraint("stock >= 0", name="stock_non_negative"),
        CheckConstraint("weight_grams >= 0", name="weight_non_negative"),
    )

    @property
    def label(self) -> str:
        return " · ".join(part for part in (self.size, self.colour, self.unit) if part)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def low_stock(self) -> bool:
        return 0 < self.stock <= self.low_stock_threshold

    @property
    def stock_state(self) -> StockState:
        if self.stock <= 0:
            return StockState.SOLD_OUT
        if self.low_stock:
            return StockState.LOW
        return StockState.IN_STOCK


class ProductImage(db.Model):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    #: Key in the media storage (relative path under MEDIA_DIR).
    path: Mapped[str] = mapped_column(String(255))
    alt: Mapped[str] = mapped_column(String(200), default="")
    #: The Variants' colour this picture shows ("" for any): chosen, that colour shows it.
    colour: Mapped[str] = mapped_column(String(40), default="", server_default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="images")
