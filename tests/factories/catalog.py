"""Factories for Categories, Products and Variants."""
from datetime import UTC, datetime

import factory

from marketplace.catalog.models import Category, Product, ProductStatus, Variant

from .base import ModelFactory
from .vendors import VendorFactory


class CategoryFactory(ModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")
    default_vat_rate_bps = 2000


class ProductFactory(ModelFactory):
    class Meta:
        model = Product

    vendor = factory.SubFactory(VendorFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Écharpe en laine n°{n}")
    slug = factory.Sequence(lambda n: f"echarpe-laine-{n}")
    summary = "Tricotée à Mazamet."
    status = ProductStatus.ACTIVE
    vat_rate_bps = factory.LazyAttribute(lambda p: p.category.default_vat_rate_bps)
    origin = "Mazamet"
    from_price_cents = 4500
    published_at = factory.LazyFunction(lambda: datetime.now(UTC))


class VariantFactory(ModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    vendor_id = factory.LazyAttribute(lambda v: v.product.vendor.id)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    size = "M"
    price_cents = 4500
    stock = 10
    weight_grams = 250
