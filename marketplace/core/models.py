"""Base mixins shared by every domain's models."""
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

#: The largest value of an INTEGER column (ids, stock, cents): beyond it PostgreSQL refuses
#: the statement, so URLs and forms refuse such numbers first.
DATABASE_INTEGER_MAX = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
