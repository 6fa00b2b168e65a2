"""Product cards, written out in Python.

Every storefront list of goods (listings, search, the home page, "other goods" on a product
page) is a grid of cards. In Jinja each card cost a dozen escaped expressions, two URL
quotings and a price lookup, each through Markup and the template context: twenty cards cost
more than the rest of a listing page. Here a card is one f-string, its labels are translated
once per locale and its text escaped as by Jinja's autoescaping (`html.escape`: & < > " ').

The markup is that of the picture(), product_price() and stock_badge() macros in
templates/catalog/_macros.html (product pages and the cart use them): change them together.
"""
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import get_locale, gettext
from markupsafe import Markup

from marketplace.core.money import format_cents

from .models import StockState
from .services import ProductCard

#: Little words left out of initials: "Miel de châtaignier" -> "MC".
_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "en", "et", "à", "au", "aux", "d", "l", "n°"}

#: Characters a slug or a picture's path may hold as they are in a URL path.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]*")


def _escaped(text: str) -> str:
    return html.escape(text, quote=True)


def _url_path(path: str) -> str:
    return path if _PLAIN_PATH.fullmatch(path) else quote(path)


def initials(name: str) -> str:
    """Two letters standing in for a missing picture or logo."""
    words = [word for word in re.split(r"[\s'’-]+", name) if word[:1].isalnum()]
    meaningful = [word for word in words if word.casefold() not in _SMALL_WORDS] or words
    return "".join(word[0] for word in meaningful[:2]).upper()


@dataclass(frozen=True, slots=True)
class CardLabels:
    """A card's words in one language, escaped; "dès …" and "Plus que …" cut around their
    placeholder, so that a card fills them in without formatting a translation."""

    sold_out: str
    in_stock: str
    low_stock: tuple[str, str]
    from_price: tuple[str, str]
    unavailable: str
    made_at_hub: str

    @classmethod
    def translated(cls) -> "CardLabels":
        """In the request's language."""
        before_price, after_price = gettext("dès %(price)s", price="\0").split("\0")
        before_count, after_count = gettext("Plus que %(count)s", count="\0").split("\0")
        return cls(
            sold_out=_escaped(gettext("Épuisé")),
            in_stock=_escaped(gettext("En stock")),
            low_stock=(_escaped(before_count), _escaped(after_count)),
            from_price=(_escaped(before_price), _escaped(after_price)),
            unavailable=_escaped(gettext("Bientôt disponible")),
            made_at_hub=_escaped(gettext("Fait à la coopérative")),
        )


_labels_by_locale: dict[str, CardLabels] = {}


def labels_for(locale: str) -> CardLabels:
    """The labels of `locale`, translated at its first page and kept: they never change while
    the application runs."""
    labels = _labels_by_locale.get(locale)
    if labels is None:
        labels = CardLabels.translated()
        if str(get_locale()) == locale:
            _labels_by_locale[locale] = labels
    return labels


def product_grid(
    cards: Sequence[ProductCard],
    *,
    heading: str,
    locale: str,
    product_path: str,
    media_path: str,
) -> Markup:
    """The `<ul>` of cards; links are `product_path` + slug, pictures `media_path` + path."""
    labels = labels_for(locale)
    written = [
        _card_html(card, heading, locale, labels, product_path, media_path) for card in cards
    ]
    cards_html = "\n".join(written)
    return Markup(f'<ul class="product-grid" role="list">\n{cards_html}\n</ul>')


def _card_html(
    card: ProductCard,
    heading: str,
    locale: str,
    labels: CardLabels,
    product_path: str,
    media_path: str,
) -> str:
    name = _escaped(card.name)
    image = card.cover_image
    if image:
        src = _escaped(media_path + _url_path(image.path))
        alt = _escaped(image.alt) if image.alt else name
        picture = (
            f'<img class="picture " src="{src}" alt="{alt}" width="{image.width or 800}"'
            f' height="{image.height or 800}" loading="lazy" decoding="async">'
        )
    else:
        picture = (
            f'<div class="picture picture--placeholder placeholder--{card.id % 6} " role="img"'
            f' aria-label="{name}"><span class="picture__initials" aria-hidden="true">'
            f"{_escaped(initials(card.name))}</span></div>"
        )
    state = card.stock_state
    sold_out = " product-card--sold-out" if state == StockState.SOLD_OUT else ""
    href = _escaped(product_path + _url_path(card.slug))
    hub = f'<p class="product-card__hub">{labels.made_at_hub}</p>\n' if card.made_at_hub else ""
    return (
        f'<li><article class="product-card{sold_out}">\n'
        f'<div class="product-card__media">{picture}</div>\n'
        f'<div class="product-card__body">\n'
        f'<{heading} class="product-card__name"><a class="product-card__link" href="{href}">'
        f"{name}</a></{heading}>\n"
        f'<p class="product-card__vendor">{_escaped(card.vendor_name)}</p>\n'
        f'<p class="product-card__meta">{_price_html(card, locale, labels)}\n'
        f"{_stock_html(card, state, labels)}</p>\n"
        f"{hub}</div>\n"
        "</article></li>"
    )


def _price_html(card: ProductCard, locale: str, labels: CardLabels) -> str:
    if not card.has_active_variants:
        return f'<span class="price price--none">{labels.unavailable}</span>'
    price = _escaped(format_cents(card.from_price_cents, locale))
    if card.has_several_prices:
        before, after = labels.from_price
        return f'<span class="price">{before}{price}{after}</span>'
    return f'<span class="price">{price}</span>'


def _stock_html(card: ProductCard, state: StockState, labels: CardLabels) -> str:
    if state == StockState.SOLD_OUT:
        return f'<span class="stock-badge stock-badge--sold-out">{labels.sold_out}</span>'
    if state == StockState.LOW:
        before, after = labels.low_stock
        count = card.available_stock
        return f'<span class="stock-badge stock-badge--low">{before}{count}{after}</span>'
    return f'<span class="stock-badge stock-badge--in-stock">{labels.in_stock}</span>'
