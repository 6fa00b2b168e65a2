"""Legal pages and the hub's details as Admins edited them (defaults ship with the code)."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.models import utcnow
from marketplace.extensions import db


class PageKind(StrEnum):
    TERMS_OF_SALE = "terms_of_sale"
    LEGAL_NOTICE = "legal_notice"
    PRIVACY = "privacy"
    WITHDRAWAL = "withdrawal"
    CONTACT = "contact"


class LegalPage(db.Model):
    """An Admin's version of a page; until one exists, the page shows the shipped default."""

    __tablename__ = "legal_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PageKind] = mapped_column(
        Enum(PageKind, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e],
             validate_strings=True, create_constraint=True),
        unique=True,
    )
    title_fr: Mapped[str] = mapped_column(String(160))
    #: Markdown; raw HTML in it is shown as text, never run.
    body_fr: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(String(160))
    body_en: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class HubDetailsRecord(db.Model):
    """The cooperative's identity and shop, one row once an Admin saved them."""

    __tablename__ = "hub_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Every field of `services.HubDetails`, as saved.
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
