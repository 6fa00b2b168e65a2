"""Mail gateways: files under instance/mail (development) or SMTP (production)."""
import re
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from marketplace.core.models import utcnow

#: A recipient becomes part of a file name: nothing that could leave the mail folder.
_SAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]")


def build_message(*, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="lesateliers-castres.fr")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def deliver(message: EmailMessage) -> str:
    """Send through the configured backend; returns where it went (file path or server)."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "files":
        directory = Path(current_app.config["MAIL_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        recipient = _SAFE_FILE_CHARACTERS.sub("_", message["To"].replace("@", "_at_"))
        # The random part keeps two emails to one person in the same microsecond apart.
        path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}-{recipient}.eml"
        path.write_bytes(bytes(message))
        return str(path)
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return config["MAIL_SERVER"]
