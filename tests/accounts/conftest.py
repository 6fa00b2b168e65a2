"""Fixtures for the accounts tests: a mailbox that reads the emails the files backend wrote."""
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest


class Mailbox:
    """The .eml files written since the fixture started, oldest first."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.already_there = set(self._files())

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob("*.eml")) if self.directory.exists() else []

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        found = []
        for path in self._files():
            if path in self.already_there:
                continue
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if to is None or message["To"] == to:
                found.append(message)
        return found

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def mailbox(app):
    return Mailbox(Path(app.config["MAIL_DIR"]))
