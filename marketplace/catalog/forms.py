"""The listing filter form, read from the query string: a filtered page has a shareable URL."""
import re
from collections.abc import Sequence
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField
from wtforms.validators import ValidationError

from marketplace.vendors.models import Vendor, VendorKind

from .services import (
    LISTING_SORTS,
    CategoryEntry,
    ProductFilters,
    ProductSort,
    VendorChoice,
    category_family_ids,
    find_category,
)

#: Euros as people type them: "12", "12,50", "12.5", "1 200 €". At most 999 999,99 €.
_EUROS = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,2})?")
_SPACES_AND_SIGN = re.compile(r"[\s\u00a0\u202f€]")


def parse_euros_to_cents(text: str) -> int:
    """Exact cents from a euro amount typed by a person; ValueError when it is not one.

    Decimal, never float: "0,29" must give 29 cents, not 28.
    """
    cleaned = _SPACES_AND_SIGN.sub("", text)
    if not _EUROS.fullmatch(cleaned):
        raise ValueError(text)
    return int(Decimal(cleaned.replace(",", ".")) * 100)


class EuroAmountField(StringField):
    """A text box for a price in euros; `cents` holds the parsed value, or None."""

    cents: int | None = None

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.cents = None
        raw = (self.data or "").strip()
        if raw:
            try:
                self.cents = parse_euros_to_cents(raw)
            except ValueError:
                # Not lazy: a lazy string counts as safe markup, and the value is the visitor's.
                raise ValueError(
                    gettext(
                        "« %(value)s » n'est pas un prix : écrivez un montant en euros, "
                        "par exemple 12 ou 12,50.",
                        value=raw[:20],
                    )
                ) from None


class LenientBooleanField(BooleanField):
    """A checkbox that also reads "0" and "non" from hand-written URLs as unticked."""

    false_values = (False, "false", "", "0", "non", "off")


class ProductFilterForm(FlaskForm):
    """Category, Vendor, Vendor kind, price range, stock and sort, as GET parameters.

    A wrong value never fails the page: its field gets an error message and the filter is left
    out, while the other filters still apply.
    """

    class Meta:
        csrf = False  # a GET search changes nothing

        def get_translations(self, form: object) -> None:
            # No WTForms message is ever shown (every message here is ours, and the labels
            # are in the template): none is looked up for each field of every listing.
            return None

    # Their words are in templates/catalog/_filters.html: translated there once per language,
    # where lazy labels were translated anew on every page.
    category = StringField()
    vendor = StringField()
    kind = StringField()
    min_price = EuroAmountField()
    max_price = EuroAmountField()
    in_stock = LenientBooleanField()
    sort = StringField()

    def __init__(
        self,
        formdata,  # noqa: ANN001
        *,
        categories: Sequence[CategoryEntry],
        vendors: Sequence[VendorChoice] | None,
        sorts: Sequence[ProductSort] = LISTING_SORTS,
    ) -> None:
        super().__init__(formdata=formdata)
        self.categories = categories
        self.vendors = vendors
        self.sorts = tuple(sorts)
        self.kinds = tuple(VendorKind)

    def validate_category(self, field: Field) -> None:
        if field.data and find_category(self.categories, field.data) is None:
            raise ValidationError(_l("Cette catégorie n'existe pas ; toutes sont affichées."))

    def validate_vendor(self, field: Field) -> None:
        if field.data and self.vendors is not None and self.selected_vendor is None:
            raise ValidationError(_l("Ce producteur est introuvable ; tous sont affichés."))

    def validate_kind(self, field: Field) -> None:
        if field.data and field.data not in self.kinds:
            raise ValidationError(_l("Ce type de producteur n'existe pas ; tous sont affichés."))

    def validate_max_price(self, field: Field) -> None:
        low, high = self.min_price.cents, self.max_price.cents
        if low is not None and high is not None and high < low:
            raise ValidationError(_l("Le prix maximum est plus petit que le prix minimum."))

    def validate_sort(self, field: Field) -> None:
        if field.data and field.data not in self.sorts:
            raise ValidationError(_l("Ce tri n'existe pas ; le tri habituel est appliqué."))

    def _valid(self, field: Field) -> bool:
        return bool(field.data) and not field.errors

    @property
    def selected_category(self) -> CategoryEntry | None:
        return (
            find_category(self.categories, self.category.data)
            if self._valid(self.category)
            else None
        )

    @property
    def offers_vendor_choice(self) -> bool:
        return self.vendors is not None

    @property
    def selected_vendor(self) -> VendorChoice | None:
        slug = self.vendor.data
        return next((vendor for vendor in self.vendors or () if vendor.slug == slug), None)

    @property
    def selected_sort(self) -> ProductSort:
        return ProductSort(self.sort.data) if self._valid(self.sort) else self.sorts[0]

    def to_filters(
        self,
        *,
        category: CategoryEntry | None = None,
        vendor: Vendor | VendorChoice | None = None,
    ) -> ProductFilters:
        """The filters to apply: the valid fields, plus a Category or Vendor fixed by the URL."""
        category = category or self.selected_category
        vendor = vendor or (self.selected_vendor if self._valid(self.vendor) else None)
        return ProductFilters(
            category_ids=category_family_ids(category, self.categories) if category else (),
            vendor_id=vendor.id if vendor else None,
            vendor_kind=self.kind.data if self._valid(self.kind) else None,
            min_price_cents=self.min_price.cents if not self.min_price.errors else None,
            max_price_cents=self.max_price.cents if not self.max_price.errors else None,
            in_stock_only=bool(self.in_stock.data),
            sort=self.selected_sort,
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-default filters as query-string arguments, for links to other pages."""
        args = {}
        for name in ("category", "vendor", "kind", "min_price", "max_price"):
            field = self[name]
            if name == "vendor" and not self.offers_vendor_choice:
                continue
            if self._valid(field):
                args[name] = field.data.strip()
        if self.in_stock.data:
            args["in_stock"] = "1"
        if self._valid(self.sort) and self.sort.data != self.sorts[0]:
            args["sort"] = self.sort.data
        return args

    @property
    def active_filter_count(self) -> int:
        return len(set(self.query_args()) - {"sort"})
