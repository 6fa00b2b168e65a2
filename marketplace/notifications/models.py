"""Record of every email sent, so a task run twice never sends the same email twice."""
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.models import utcnow
from marketplace.extensions import db


class SentEmail(db.Model):
    __tablename__ = "sent_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Business key of the email ("order-confirmation:LA-2026-000123"), unique.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
