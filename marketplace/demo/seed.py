"""Creates the demo hub: the cooperative's Vendors, catalogue with pictures, accounts, logistics."""

import random
import re
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path

from flask import current_app
from PIL import Image
from slugify import slugify
from sqlalchemy import func, select

from marketplace.accounts.models import Address, Role, User
from marketplace.accounts.services import hash_password
from marketplace.catalog.models import Category, Product, ProductImage, ProductStatus, Variant
from marketplace.catalog.services import refresh_from_price
from marketplace.core.models import utcnow
from marketplace.delivery.models import DeliveryZone, PickupPlan, RoundPlan
from marketplace.delivery.services import plan_ahead
from marketplace.extensions import db
from marketplace.vendors.models import Vendor, VendorMember, VendorStatus

from . import data
from .pictures import draw_detail_picture, draw_product_picture, draw_vendor_logo, save_picture

#: Products go online over this many days before the seed, so "new" sorts mean something.
PUBLISHED_OVER_DAYS = 180
TEXTILE_CLOTHS_WITH_DETAIL = {"knit", "weave", "linen", "tartan"}


def seed_demo_hub(*, now: datetime | None = None) -> bool:
    """Fill a database that has no Vendor yet with the demo hub; False when there is one.

    Checking for Vendors (rather than for any row) lets an admin account created before the
    first `make run` live alongside the demo.
    """
    if db.session.scalar(select(func.count()).select_from(Vendor)):
        return False
    now = now or utcnow()
    media_dir = Path(current_app.config["MEDIA_DIR"])
    categories = create_categories()
    vendors = create_vendors(media_dir=media_dir)
    create_products(vendors=vendors, categories=categories, media_dir=media_dir, now=now)
    create_demo_accounts(vendor=vendors[data.DEMO_VENDOR_SLUG])
    create_delivery_schedule(now=now)
    db.session.flush()
    return True


def create_categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for position, spec in enumerate(data.CATEGORIES):
        parent = categories[spec.parent] if spec.parent else None
        family = spec.parent or spec.slug
        category = Category(
            slug=spec.slug,
            name=spec.name,
            name_en=spec.name_en,
            description=spec.description,
            parent=parent,
            position=position,
            default_vat_rate_bps=data.FAMILY_VAT_BPS[family],
        )
        db.session.add(category)
        categories[spec.slug] = category
    return categories


def create_vendors(*, media_dir: Path) -> dict[str, Vendor]:
    vendors: dict[str, Vendor] = {}
    for spec in data.VENDORS:
        logo_path = f"vendors/{spec.slug}.jpg"
        save_picture(
            draw_vendor_logo(
                initials=vendor_initials(spec.name), colour=spec.logo_colour, seed=spec.slug
            ),
            media_dir / logo_path,
        )
        vendor = Vendor(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            tagline=spec.tagline,
            story=spec.story,
            town=spec.town,
            status=VendorStatus.APPROVED,
            featured=spec.featured,
            contact_email=spec.contact_email,
            commission_rate_bps=spec.commission_rate_bps,
            siret=spec.siret,
            vat_number=spec.vat_number,
            vat_registered=True,
            shipping_flat_cents=spec.shipping_flat_cents,
            free_shipping_threshold_cents=spec.free_shipping_threshold_cents,
            logo_path=logo_path,
        )
        db.session.add(vendor)
        vendors[spec.slug] = vendor
    db.session.flush()  # Variants need the Vendor ids
    return vendors


def vendor_initials(name: str) -> str:
    """First and last capitalised words: "Ferme d'En Ségur" gives "FS"."""
    words = [
        word for word in re.findall(r"[A-ZÀ-Ý][\w-]*", name) if word not in {"Le", "La", "Les"}
    ]
    return (words[0][0] + words[-1][0]) if len(words) > 1 else words[0][:2]


def create_products(
    *, vendors: dict[str, Vendor], categories: dict[str, Category], media_dir: Path, now: datetime
) -> None:
    for vendor_spec in data.VENDORS:
        vendor = vendors[vendor_spec.slug]
        for number, spec in enumerate(vendor_spec.products, start=1):
            category = categories[spec.category]
            slug = slugify(spec.name)
            rng = random.Random(slug)
            published_at = now - timedelta(days=rng.uniform(1, PUBLISHED_OVER_DAYS))
            product = Product(
                vendor=vendor,
                category=category,
                slug=slug,
                name=spec.name,
                summary=spec.summary,
                # How it is made has its own field (making_details), so it is not repeated here.
                description=" ".join(
                    part
                    for part in (spec.summary, spec.details, data.CATEGORY_NOTES[spec.category])
                    if part
                ),
                status=ProductStatus.ACTIVE,
                vat_rate_bps=category.default_vat_rate_bps,
                origin=vendor_spec.workshop,
                making_details=vendor_spec.making,
                made_at_hub=vendor_spec.at_hub,
                published_at=published_at,
                created_at=published_at,
                updated_at=published_at,
            )
            product.variants = build_variants(
                spec=spec, vendor=vendor, sku_stem=f"{vendor_spec.sku_prefix}-{number:03d}", rng=rng
            )
            product.images = draw_product_images(spec=spec, slug=slug, media_dir=media_dir)
            db.session.add(product)
            refresh_from_price(product=product)


def build_variants(
    *, spec: data.ProductSpec, vendor: Vendor, sku_stem: str, rng: random.Random
) -> list[Variant]:
    """Sizes × colours for textiles, units for food, with the stock situation the spec asks for."""
    if spec.units:
        options = [
            {"unit": unit.label, "price_cents": unit.price_cents, "weight_grams": unit.weight_grams}
            for unit in spec.units
        ]
    else:
        options = [
            {
                "size": size,
                "colour": colour,
                "price_cents": spec.price_cents,
                "weight_grams": spec.weight_grams,
            }
            for colour in spec.colours
            for size in spec.sizes or ("",)
        ]
    return [
        Variant(
            vendor_id=vendor.id,
            sku=f"{sku_stem}-{position:02d}",
            stock=stock_for(spec.stock, rng),
            position=position,
            active=True,
            **option,
        )
        for position, option in enumerate(options, start=1)
    ]


def stock_for(situation: str, rng: random.Random) -> int:
    if situation == data.SOLD_OUT:
        return 0
    if situation == data.LOW_STOCK:
        return rng.randint(1, 3)
    return rng.randint(4, 30)


def draw_product_images(
    *, spec: data.ProductSpec, slug: str, media_dir: Path
) -> list[ProductImage]:
    """One picture per product; a second one in the other colour, as a close-up of the cloth,
    or from another angle for food sold in several sizes."""
    look = spec.look

    def photo(colour: data.Colour, seed: str) -> Image.Image:
        return draw_product_picture(
            motif=look.motif, colour=colour, seed=seed, label=spec.name, accent=look.accent,
            cloth=look.cloth,
        )  # fmt: skip

    first_colour = look.colour or data.COLOURS[spec.colours[0]]
    shown_colour = spec.colours[0] if spec.colours and not look.colour else ""
    pictures = [(photo(first_colour, slug), picture_alt(spec, spec.colours[:1]), shown_colour)]
    if len(spec.colours) > 1:
        second = spec.colours[1]
        pictures.append(
            (photo(data.COLOURS[second], f"{slug}-2"), picture_alt(spec, [second]), second)
        )
    elif spec.colours and look.cloth in TEXTILE_CLOTHS_WITH_DETAIL:
        detail = draw_detail_picture(
            colour=first_colour, seed=slug, label=spec.name, accent=look.accent, cloth=look.cloth
        )
        pictures.append((detail, f"{spec.name} : détail de la matière", ""))
    elif len(spec.units) > 1:
        pictures.append((photo(first_colour, f"{slug}-2"), picture_alt(spec, []), ""))
    images = []
    for position, (picture, alt, colour) in enumerate(pictures, start=1):
        path = f"products/{slug}-{position}.jpg"
        width, height = save_picture(picture, media_dir / path)
        images.append(
            ProductImage(
                path=path, alt=alt, width=width, height=height, position=position, colour=colour
            )
        )
    return images


def picture_alt(spec: data.ProductSpec, colours: Sequence[str]) -> str:
    return f"{spec.name}, coloris {colours[0].lower()}" if colours else spec.name


def create_demo_accounts(*, vendor: Vendor) -> None:
    """The three accounts printed by `flask demo accounts`; existing emails are left alone."""
    for account in data.DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == account.email)):
            continue
        user = User(
            email=account.email,
            password_hash=hash_password(account.password),
            full_name=account.full_name,
            role=account.role,
            locale="fr",
        )
        db.session.add(user)
        if account.role == Role.CUSTOMER:
            user.addresses.append(Address(is_default=True, **data.DEMO_CUSTOMER_ADDRESS))
        elif account.role == Role.VENDOR:
            db.session.add(VendorMember(vendor=vendor, user=user, is_owner=True))


def create_delivery_schedule(*, now: datetime) -> None:
    """Delivery zones, the hub's recurring rounds and pickup hours, and their next two weeks
    of concrete rounds and slots (the periodic planner keeps creating them afterwards).

    Times are Paris wall-clock times (the hub's opening hours, the noon cut-off) stored in UTC.
    """
    hours_by_time: dict[tuple[int, int], list[int]] = {}
    for hours in data.PICKUP_HOURS:
        hours_by_time.setdefault((hours.start_hour, hours.end_hour), []).append(hours.weekday)
    for (start_hour, end_hour), weekdays in hours_by_time.items():
        db.session.add(
            PickupPlan(
                name=f"Boutique des Ateliers {start_hour}–{end_hour} h",
                weekdays=sorted(weekdays),
                start_time=time(start_hour),
                end_time=time(end_hour),
                capacity=data.PICKUP_CAPACITY,
                fee_cents=data.PICKUP_FEE_CENTS,
                cutoff_hours_before=data.PICKUP_CUTOFF_HOURS,
                active=True,
            )
        )
    for spec in data.DELIVERY_ZONES:
        zone = DeliveryZone(
            name=spec.name,
            postcodes=list(spec.postcodes),
            fee_cents=spec.fee_cents,
            free_threshold_cents=spec.free_threshold_cents,
        )
        db.session.add(
            RoundPlan(
                zone=zone,
                weekdays=list(spec.round_weekdays),
                departure_time=time(data.ROUND_DEPARTURE_HOUR),
                cutoff_days_before=1,
                cutoff_time=time(data.ROUND_CUTOFF_HOUR),
                capacity_stops=data.ROUND_CAPACITY_STOPS,
                capacity_grams=data.ROUND_CAPACITY_GRAMS,
                active=True,
            )
        )
    db.session.flush()
    plan_ahead(now=now, weeks=2)
