"""Legal pages and the hub's details: the shipped defaults, or what an Admin saved instead.

Pages are Markdown. It is rendered by markdown-it with raw HTML turned off, so an edited page can
hold headings, lists, tables and links, never a script; markdown-it also refuses `javascript:`
and similar link targets.
"""
import tomllib
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote_plus

from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import select

from marketplace.core.models import utcnow
from marketplace.extensions import db

from .models import HubDetailsRecord, LegalPage, PageKind

DEFAULTS_DIR = Path(__file__).with_name("defaults")
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class HubDetails:
    """Who the cooperative is and where its shop is: legal notice, contact, pickup place."""

    name: str
    legal_name: str
    legal_form: str
    siret: str
    vat_number: str
    rcs: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    opening_hours_fr: str
    opening_hours_en: str
    publication_director: str
    host: str
    mediator: str

    def opening_hours(self, locale: str) -> str:
        return self.opening_hours_en if locale == "en" else self.opening_hours_fr

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def map_url(self) -> str:
        """The shop on OpenStreetMap (a link only: nothing is loaded from elsewhere)."""
        return f"https://www.openstreetmap.org/search?query={quote_plus(self.address)}"

    @property
    def phone_url(self) -> str:
        digits = "".join(character for character in self.phone if character.isdigit())
        return f"tel:+33{digits[1:]}" if digits.startswith("0") else f"tel:{digits}"


@dataclass(frozen=True)
class PageText:
    """A page in both languages, as the editing form shows it."""

    title_fr: str
    body_fr: str
    title_en: str
    body_en: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RenderedPage:
    """A page in one language, ready to show."""

    kind: PageKind
    title: str
    html: Markup
    updated_at: datetime | None


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    # Safe by construction: markdown-it escapes raw HTML (html=False) and drops unsafe links.
    return Markup(_markdown.render(text))


@cache
def default_page(kind: PageKind) -> PageText:
    """The shipped text: a first line "# Title", then the body."""
    titles_and_bodies = []
    for language in LANGUAGES:
        text = (DEFAULTS_DIR / f"{kind.value}.{language}.md").read_text(encoding="utf-8")
        heading, _newline, body = text.partition("\n")
        titles_and_bodies += [heading.removeprefix("# ").strip(), body.strip()]
    return PageText(*titles_and_bodies)


def page_text(*, kind: PageKind) -> PageText:
    saved = db.session.scalar(select(LegalPage).where(LegalPage.kind == kind))
    if saved is None:
        return default_page(kind)
    return PageText(saved.title_fr, saved.body_fr, saved.title_en, saved.body_en,
                    saved.updated_at)


def render_page(*, kind: PageKind, locale: str) -> RenderedPage:
    text = page_text(kind=kind)
    english = locale == "en"
    return RenderedPage(
        kind=kind,
        title=text.title_en if english else text.title_fr,
        html=render_markdown(text.body_en if english else text.body_fr),
        updated_at=text.updated_at,
    )


def save_page(*, kind: PageKind, text: PageText, actor_id: int | None) -> LegalPage:
    """An Admin's new version of a page, in both languages."""
    page = db.session.scalar(select(LegalPage).where(LegalPage.kind == kind))
    if page is None:
        page = LegalPage(kind=kind)
        db.session.add(page)
    page.title_fr, page.body_fr = text.title_fr.strip(), text.body_fr.strip()
    page.title_en, page.body_en = text.title_en.strip(), text.body_en.strip()
    page.updated_at = utcnow()
    page.updated_by_id = actor_id
    db.session.flush()
    return page


@cache
def default_hub_details() -> HubDetails:
    with (DEFAULTS_DIR / "hub.toml").open("rb") as file:
        return HubDetails(**tomllib.load(file))


def hub_details() -> HubDetails:
    """The hub's details as last saved, each missing field taken from the defaults."""
    record = db.session.scalar(select(HubDetailsRecord).order_by(HubDetailsRecord.id).limit(1))
    if record is None:
        return default_hub_details()
    known = {field.name for field in fields(HubDetails)}
    saved = {name: value for name, value in record.values.items() if name in known}
    return HubDetails(**{**asdict(default_hub_details()), **saved})


def save_hub_details(*, details: HubDetails, actor_id: int | None) -> None:
    record = db.session.scalar(select(HubDetailsRecord).order_by(HubDetailsRecord.id).limit(1))
    if record is None:
        record = HubDetailsRecord()
        db.session.add(record)
    record.values = {name: value.strip() for name, value in asdict(details).items()}
    record.updated_at = utcnow()
    record.updated_by_id = actor_id
    db.session.flush()
