"""The demo hub's data files: what they describe, and how a mistake in one is reported."""

import shutil
from collections import Counter
from pathlib import Path

import pytest

from marketplace.demo import data
from marketplace.demo.data import DATA_DIR, DemoDataError, load_hub
from marketplace.demo.pictures import MOTIFS

FILATURE = "vendors/filature-de-l-arnette.toml"
FIRST_YARN = "products 1 ('Pelote laine de Mazamet 4 fils')"


def all_products() -> list[data.ProductSpec]:
    return [product for vendor in data.VENDORS for product in vendor.products]


def test_hub_has_its_vendors_categories_and_products():
    assert len(data.VENDORS) == 14
    assert len(data.CATEGORIES) == 16
    assert len(all_products()) == 160
    assert (data.VENDORS[0].slug, data.VENDORS[-1].slug) == (
        "filature-de-l-arnette",
        "bocaux-de-soreze",
    )
    assert len({vendor.sku_prefix for vendor in data.VENDORS}) == len(data.VENDORS)
    assert data.DEMO_VENDOR_SLUG in {vendor.slug for vendor in data.VENDORS}
    assert Counter(product.stock for product in all_products()) == {
        data.IN_STOCK: 137,
        data.LOW_STOCK: 14,
        data.SOLD_OUT: 9,
    }


def test_every_product_is_filed_in_a_category_of_a_family():
    sub_categories = {category.slug for category in data.CATEGORIES if category.parent}
    assert set(data.FAMILY_VAT_BPS) == {"textile", "epicerie"}
    assert set(data.CATEGORY_NOTES) == sub_categories
    assert {product.category for product in all_products()} == sub_categories


def test_products_use_known_colours_and_motifs():
    assert {colour for product in all_products() for colour in product.colours} <= set(data.COLOURS)
    assert {product.look.motif for product in all_products()} <= set(MOTIFS)


def test_french_text_is_read_as_written():
    """Long texts are wrapped in the files; reading them back must join the lines exactly."""
    [filature] = [vendor for vendor in data.VENDORS if vendor.slug == "filature-de-l-arnette"]
    assert filature.story.startswith("Au XIXe siècle, Mazamet délainait les peaux de moutons")
    assert filature.story.endswith("une partie revient aux Ateliers sous forme de pulls.")
    assert data.DEMO_ACCOUNTS[1].description == "Owner of the Vendor « Le Tissage de l'Agout »"
    assert data.COLOURS["Écru"] == (232, 224, 204)
    texts = (
        [text for vendor in data.VENDORS for text in (vendor.story, vendor.making, vendor.tagline)]
        + [product.summary for product in all_products()]
        + list(data.CATEGORY_NOTES.values())
    )
    assert all(text == text.strip() and "\n" not in text and "  " not in text for text in texts)


def test_delivery_zones_cover_distinct_tarn_postcodes():
    postcodes = [code for zone in data.DELIVERY_ZONES for code in zone.postcodes]
    assert len(postcodes) == len(set(postcodes))
    assert all(len(code) == 5 and code.startswith("81") for code in postcodes)
    assert data.DEMO_CUSTOMER_ADDRESS["postcode"] in postcodes


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """The data files copied, for a test to break one."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def test_a_copy_of_the_data_files_loads_the_same_hub(data_copy):
    assert load_hub(data_copy) == data.HUB


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (FILATURE, "weight_grams = 60", "weight_gram = 60", f"{FIRST_YARN}: unknown weight_gram"),
        (
            FILATURE,
            'summary = "Une laine ronde et gonflante, parfaite pour les pulls et les bonnets."\n',
            "",
            f"{FIRST_YARN}: missing summary",
        ),
        (
            FILATURE,
            'category = "laine-a-tricoter"',
            'category = "laine"',
            f"{FIRST_YARN}: unknown category 'laine'",
        ),
        (FILATURE, '"Gris chiné", "Bleu', '"Gris chine", "Bleu', "unknown colour 'Gris chine'"),
        (FILATURE, "price_cents = 690", 'price_cents = "6,90"', "price_cents: expected int"),
        (FILATURE, 'motif = "yarn"', 'motif = "pelote"', "unknown motif 'pelote'"),
        (
            "vendors/rucher-de-la-montagne-noire.toml",
            'look = "honey-clear"',
            'look = "honey-clair"',
            "unknown look 'honey-clair'",
        ),
        ("colours.toml", '"Écru" = [232, 224, 204]', '"Écru" = [232, 224]', "Écru: expected [red"),
        (
            "categories.toml",
            "vat_bps = 2000",
            "tva_bps = 2000",
            "families 1 ('Textile'): missing vat_bps",
        ),
        ("delivery.toml", "fee_cents = 500\n", "", "zones 2 ('Mazamet – Montagne Noire'): missing"),
        ("accounts.toml", 'role = "admin"', 'role = "root"', "unknown role 'root'"),
        ("accounts.toml", '"tissage-de-l-agout"', '"tissage"', "demo_vendor 'tissage' has no file"),
        ("vendors.toml", '    "lin-d-oc",\n', "", "order leaves out vendors/lin-d-oc.toml"),
        ("looks.toml", "[honey-dark]", "[honey-dark", "looks.toml: Expected ']'"),
    ],
)
def test_a_mistake_names_its_file_and_entry(data_copy, file, old, new, message):
    edit(data_copy / file, old, new)
    with pytest.raises(DemoDataError) as raised:
        load_hub(data_copy)
    assert str(raised.value).startswith(str(data_copy / file))
    assert message in str(raised.value)


def test_products_of_two_vendors_may_not_share_a_slug(data_copy):
    edit(
        data_copy / "vendors/bocaux-de-soreze.toml",
        'name = "Crème de marrons"',
        'name = "Pelote laine de Mazamet 4 fils"',
    )
    with pytest.raises(DemoDataError, match="is taken by a Product in .*filature-de-l-arnette"):
        load_hub(data_copy)
