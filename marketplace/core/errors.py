"""Domain errors: each carries a code the UI translates into a message for people."""
from enum import StrEnum


class DomainError(Exception):
    """Base for errors a service raises on purpose; views turn them into a message."""

    def __init__(self, code: StrEnum | str, message: str | None = None, **details: object):
        self.code = code
        self.details = details
        super().__init__(message or str(code))
        self.message = message or str(code)


class NotFound(DomainError):
    pass


class InvalidTransition(DomainError):
    """A state machine refused a change of state."""
