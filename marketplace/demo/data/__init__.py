"""The demo hub's content, read from the TOML files beside this module.

The files hold what the hub says about itself: Categories, colours, Vendors with their Products,
demo accounts, pickup hours and delivery zones. `seed.py` turns them into rows and `pictures.py`
draws what the Products look like. Every entry is checked as it is read, so a mistyped key,
Category or colour stops the seed with the file and the entry named.
"""

import tomllib
from dataclasses import MISSING, dataclass, fields, is_dataclass
from pathlib import Path
from types import UnionType
from typing import Any, NamedTuple, TypeVar, get_args, get_origin, get_type_hints

from slugify import slugify

from marketplace.accounts.models import Role
from marketplace.vendors.models import VendorKind

from ..pictures import MOTIFS

DATA_DIR = Path(__file__).parent
Spec = TypeVar("Spec")

Colour = tuple[int, int, int]

#: Stock situations the demo shows on purpose (everything else is comfortably in stock).
IN_STOCK, LOW_STOCK, SOLD_OUT = "in_stock", "low_stock", "sold_out"


class DemoDataError(ValueError):
    """A data file that does not describe the hub; the message names the file and the entry."""


class Look(NamedTuple):
    """How a Product is drawn: a motif from `pictures.MOTIFS`, its cloth or variant, colours."""

    motif: str
    cloth: str = ""
    colour: Colour | None = None  # textiles take the colour of their first Variant
    accent: Colour | None = None


class Unit(NamedTuple):
    """A food Variant: the unit as sold, its price (VAT included) and shipping weight."""

    label: str
    price_cents: int
    weight_grams: int


@dataclass(frozen=True)
class ProductSpec:
    name: str
    category: str
    summary: str
    look: Look
    price_cents: int = 0  # textiles: every size and colour sells at this price
    colours: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    weight_grams: int = 0
    details: str = ""
    stock: str = IN_STOCK


@dataclass(frozen=True)
class VendorSpec:
    slug: str  # the name of its file
    name: str
    kind: str
    tagline: str
    story: str
    town: str
    workshop: str  # where the goods are made, shown as the Products' origin
    making: str  # how they work, closing every Product description
    siret: str
    vat_number: str
    commission_rate_bps: int
    shipping_flat_cents: int
    free_shipping_threshold_cents: int
    contact_email: str
    sku_prefix: str
    logo_colour: Colour
    products: tuple[ProductSpec, ...]
    featured: bool = False
    at_hub: bool = False


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    name_en: str
    description: str = ""
    parent: str | None = None


class DemoAccount(NamedTuple):
    email: str
    password: str
    full_name: str
    role: str
    description: str


class AddressSpec(NamedTuple):
    label: str
    full_name: str
    line1: str
    line2: str
    postcode: str
    city: str
    country: str
    phone: str


class PickupHours(NamedTuple):
    weekday: int  # Monday is 0
    start_hour: int
    end_hour: int


class ZoneSpec(NamedTuple):
    name: str
    postcodes: tuple[str, ...]
    fee_cents: int
    round_weekdays: tuple[int, ...]  # days the van goes there, Monday is 0
    free_threshold_cents: int | None = None  # goods total from which the round is free


class SubCategoryEntry(NamedTuple):
    """A Category of Products as `categories.toml` writes it, inside its family."""

    slug: str
    name: str
    name_en: str
    care: str  # the care or keeping advice that closes the description of its Products
    description: str = ""


class FamilyEntry(NamedTuple):
    """A top-level Category as `categories.toml` writes it: its VAT holds for its Products."""

    slug: str
    name: str
    name_en: str
    vat_bps: int
    categories: tuple[SubCategoryEntry, ...]
    description: str = ""


class CategoriesFile(NamedTuple):
    families: tuple[FamilyEntry, ...]


class VendorsFile(NamedTuple):
    order: tuple[str, ...]  # the slugs of the files in `vendors/`


class AccountsFile(NamedTuple):
    demo_vendor: str  # the Vendor the demo vendor account acts for
    customer_address: AddressSpec
    accounts: tuple[DemoAccount, ...]


class DeliveryFile(NamedTuple):
    pickup_hours: tuple[PickupHours, ...]
    pickup_capacity: int
    pickup_fee_cents: int
    zones: tuple[ZoneSpec, ...]
    round_capacity_stops: int
    round_capacity_grams: int
    round_cutoff_hour: int
    round_departure_hour: int = 9
    pickup_cutoff_hours: int = 18  # bookings close this long before a slot opens


@dataclass(frozen=True)
class DemoHub:
    colours: dict[str, Colour]
    categories: tuple[CategorySpec, ...]
    family_vat_bps: dict[str, int]
    category_notes: dict[str, str]
    vendors: tuple[VendorSpec, ...]
    accounts: AccountsFile
    delivery: DeliveryFile


class Reader:
    """Builds specs from the tables of data files, checking keys and types against their fields.

    Products may name a shared look from `looks.toml` instead of describing their own.
    """

    def __init__(self, looks: dict[str, Look] | None = None) -> None:
        self.looks = looks or {}

    def spec(self, spec_class: type[Spec], table: Any, where: str, **given: Any) -> Spec:
        """`spec_class` from a table holding its fields, but for those `given` from elsewhere."""
        if not isinstance(table, dict):
            raise DemoDataError(f"{where}: expected a table, got {table!r}")
        names = [name for name in field_names(spec_class) if name not in given]
        required = [name for name in names if name not in field_defaults(spec_class)]
        missing = [name for name in required if name not in table]
        if missing:
            raise DemoDataError(f"{where}: missing {', '.join(missing)}")
        unknown = [key for key in table if key not in names]
        if unknown:
            raise DemoDataError(
                f"{where}: unknown {', '.join(unknown)} (known: {', '.join(names)})"
            )
        kinds = get_type_hints(spec_class)
        values = {
            key: self.value(kinds[key], value, f"{where}, {key}") for key, value in table.items()
        }
        return spec_class(**values, **given)

    def value(self, kind: Any, value: Any, where: str) -> Any:
        """`value` as read from a file, turned into what a field of type `kind` holds."""
        if kind in (Colour, Colour | None):
            if not (
                isinstance(value, list) and len(value) == 3 and all(is_channel(c) for c in value)
            ):
                raise DemoDataError(
                    f"{where}: expected [red, green, blue] from 0 to 255, got {value!r}"
                )
            return tuple(value)
        if kind is Look and isinstance(value, str):
            if value not in self.looks:
                raise DemoDataError(
                    f"{where}: unknown look {value!r} (looks.toml has {', '.join(self.looks)})"
                )
            return self.looks[value]
        if isinstance(kind, UnionType):  # `int | None`: an absent key is None, a given one int
            [item_kind] = [arg for arg in get_args(kind) if arg is not type(None)]
            return self.value(item_kind, value, where)
        if get_origin(kind) is tuple:
            if not isinstance(value, list):
                raise DemoDataError(f"{where}: expected a list, got {value!r}")
            [item_kind, _] = get_args(kind)
            return tuple(
                self.value(item_kind, item, entry_name(where, number, item))
                for number, item in enumerate(value, start=1)
            )
        if kind in (str, int, bool):
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise DemoDataError(f"{where}: expected {kind.__name__}, got {value!r}")
            return value
        return self.spec(kind, value, where)


def field_names(spec_class: type) -> list[str]:
    if is_dataclass(spec_class):
        return [field.name for field in fields(spec_class)]
    return list(spec_class._fields)


def field_defaults(spec_class: type) -> set[str]:
    if is_dataclass(spec_class):
        return {field.name for field in fields(spec_class) if field.default is not MISSING}
    return set(spec_class._field_defaults)


def is_channel(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 255


def entry_name(where: str, number: int, item: Any) -> str:
    """`where`, then the entry's number and, when it has one, its name: what a person looks for."""
    label = next(
        (
            item[key]
            for key in ("name", "slug", "email", "label")
            if isinstance(item, dict) and key in item
        ),
        None,
    )
    return f"{where} {number}" + (f" ({label!r})" if label else "")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"{path}: {error}") from error


def read_colours(path: Path) -> dict[str, Colour]:
    return {
        name: Reader().value(Colour, rgb, f"{path}, {name}")
        for name, rgb in read_toml(path).items()
    }


def read_looks(path: Path) -> dict[str, Look]:
    return {
        name: Reader().spec(Look, table, f"{path}, {name}")
        for name, table in read_toml(path).items()
    }


def read_categories(path: Path) -> tuple[tuple[CategorySpec, ...], dict[str, int], dict[str, str]]:
    """Categories in shop order (each family, then its own), the families' VAT, the care notes."""
    families = Reader().spec(CategoriesFile, read_toml(path), str(path)).families
    categories: list[CategorySpec] = []
    for family in families:
        categories.append(
            CategorySpec(family.slug, family.name, family.name_en, family.description)
        )
        categories.extend(
            CategorySpec(entry.slug, entry.name, entry.name_en, entry.description, family.slug)
            for entry in family.categories
        )
    slugs = [category.slug for category in categories]
    if duplicates := sorted({slug for slug in slugs if slugs.count(slug) > 1}):
        raise DemoDataError(f"{path}: Category slugs used twice: {', '.join(duplicates)}")
    family_vat_bps = {family.slug: family.vat_bps for family in families}
    notes = {entry.slug: entry.care for family in families for entry in family.categories}
    return tuple(categories), family_vat_bps, notes


def read_vendors(
    directory: Path, *, looks: dict[str, Look], colours: dict[str, Colour], notes: dict[str, str]
) -> tuple[VendorSpec, ...]:
    """The Vendors in the order `vendors.toml` gives, which is the order they are created in."""
    order_path = directory / "vendors.toml"
    order = Reader().spec(VendorsFile, read_toml(order_path), str(order_path)).order
    files = {path.stem: path for path in sorted((directory / "vendors").glob("*.toml"))}
    if unlisted := [slug for slug in files if slug not in order]:
        raise DemoDataError(f"{order_path}: order leaves out vendors/{', '.join(unlisted)}.toml")
    if absent := [slug for slug in order if slug not in files]:
        raise DemoDataError(
            f"{order_path}: order names {', '.join(absent)}, with no file in vendors/"
        )
    reader = Reader(looks)
    vendors = tuple(
        reader.spec(VendorSpec, read_toml(files[slug]), str(files[slug]), slug=slug)
        for slug in order
    )
    files_by_product_slug: dict[str, Path] = {}
    for vendor in vendors:
        if vendor.kind not in {kind.value for kind in VendorKind}:
            raise DemoDataError(f"{files[vendor.slug]}: unknown kind {vendor.kind!r}")
        for number, product in enumerate(vendor.products, start=1):
            where = f"{files[vendor.slug]}, products {number} ({product.name!r})"
            check_product(product, where, colours, notes)
            # Product slugs come from the names and are unique across the shop.
            slug = slugify(product.name)
            if slug in files_by_product_slug:
                raise DemoDataError(
                    f"{where}: its slug {slug!r} is taken by a Product in "
                    f"{files_by_product_slug[slug]}"
                )
            files_by_product_slug[slug] = files[vendor.slug]
    return vendors


def check_product(
    product: ProductSpec, where: str, colours: dict[str, Colour], notes: dict[str, str]
) -> None:
    if product.category not in notes:
        raise DemoDataError(
            f"{where}: unknown category {product.category!r} "
            "(Products go in the categories of a family in categories.toml)"
        )
    if unknown := [colour for colour in product.colours if colour not in colours]:
        raise DemoDataError(
            f"{where}: unknown colour {', '.join(map(repr, unknown))} (see colours.toml)"
        )
    if product.look.motif not in MOTIFS:
        raise DemoDataError(f"{where}: unknown motif {product.look.motif!r} (see pictures.MOTIFS)")
    if product.stock not in (IN_STOCK, LOW_STOCK, SOLD_OUT):
        raise DemoDataError(f"{where}: unknown stock {product.stock!r}")
    if bool(product.units) == bool(product.colours):
        raise DemoDataError(f"{where}: a Product sells either units (food) or colours (textiles)")
    if product.units and product.look.colour is None:
        raise DemoDataError(f"{where}: food has no colour to paint its picture: give its look one")


def read_accounts(path: Path, vendors: tuple[VendorSpec, ...]) -> AccountsFile:
    accounts = Reader().spec(AccountsFile, read_toml(path), str(path))
    if accounts.demo_vendor not in {vendor.slug for vendor in vendors}:
        raise DemoDataError(f"{path}: demo_vendor {accounts.demo_vendor!r} has no file in vendors/")
    for account in accounts.accounts:
        if account.role not in {role.value for role in Role}:
            raise DemoDataError(
                f"{path}: account {account.email!r} has unknown role {account.role!r}"
            )
    return accounts


def load_hub(directory: Path = DATA_DIR) -> DemoHub:
    """The hub the data files in `directory` describe; DemoDataError names the first bad entry."""
    colours = read_colours(directory / "colours.toml")
    categories, family_vat_bps, notes = read_categories(directory / "categories.toml")
    vendors = read_vendors(
        directory, looks=read_looks(directory / "looks.toml"), colours=colours, notes=notes
    )
    delivery_path = directory / "delivery.toml"
    return DemoHub(
        colours=colours,
        categories=categories,
        family_vat_bps=family_vat_bps,
        category_notes=notes,
        vendors=vendors,
        accounts=read_accounts(directory / "accounts.toml", vendors),
        delivery=Reader().spec(DeliveryFile, read_toml(delivery_path), str(delivery_path)),
    )


HUB = load_hub()

#: The colour names customers choose from, and how the pictures paint them.
COLOURS = HUB.colours
CATEGORIES = HUB.categories
#: The two top-level families and their VAT: textiles at 20 %, food at 5.5 %.
FAMILY_VAT_BPS = HUB.family_vat_bps
#: The care or keeping advice that closes each Product description of a Category.
CATEGORY_NOTES = HUB.category_notes
VENDORS = HUB.vendors
DEMO_ACCOUNTS = HUB.accounts.accounts
DEMO_VENDOR_SLUG = HUB.accounts.demo_vendor
DEMO_CUSTOMER_ADDRESS = HUB.accounts.customer_address._asdict()
#: Opening hours of the pickup counter at the hub's shop (Europe/Paris time).
PICKUP_HOURS = HUB.delivery.pickup_hours
PICKUP_CAPACITY = HUB.delivery.pickup_capacity
PICKUP_FEE_CENTS = HUB.delivery.pickup_fee_cents
DELIVERY_ZONES = HUB.delivery.zones
ROUND_CAPACITY_STOPS = HUB.delivery.round_capacity_stops
ROUND_CAPACITY_GRAMS = HUB.delivery.round_capacity_grams
ROUND_DEPARTURE_HOUR = HUB.delivery.round_departure_hour
PICKUP_CUTOFF_HOURS = HUB.delivery.pickup_cutoff_hours
ROUND_CUTOFF_HOUR = HUB.delivery.round_cutoff_hour  # the day before the round, Europe/Paris
