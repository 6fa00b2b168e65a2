"""Factories for Categories, Products and Variants."""
from datetime import UTC, datetime

import factory

from marketplace.catalog.models import Category, Product, ProductImage, ProductStatus, Variant

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


class ProductImageFactory(ModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    path = factory.Sequence(lambda n: f"products/photo-{n}.jpg")
    alt = ""
    width = 800
    height = 800


def make_product_for_sale(*, prices=(4500,), stocks=None, images=1, **product_fields) -> Product:
    """A public Product with its Variants (one per price) and pictures, its from-price kept."""
    stocks = stocks or [10] * len(prices)
    product = ProductFactory(from_price_cents=min(prices), **product_fields)
    for position, (price, stock) in enumerate(zip(prices, stocks, strict=True)):
        VariantFactory(
            product=product, price_cents=price, stock=stock, position=position,
            size=("S", "M", "L", "XL", "XXL")[position % 5] if len(prices) > 1 else "",
        )
    for position in range(images):
        ProductImageFactory(product=product, position=position)
    return product
