"""Templated emails: rendered from their .txt/.html pair, in the reader's language, sent once."""
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.notifications.models import SentEmail
from marketplace.notifications.services import send_templated_email

EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"


@pytest.fixture
def mail_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DIR", tmp_path)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "files")
    return tmp_path


def read_all(directory: Path):
    return [
        BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        for path in sorted(directory.glob("*.eml"))
    ]


def send_reset(**overrides):
    arguments = {
        "dedupe_key": "password-reset:1:abc",
        "to": "lea@example.fr",
        "subject": "Réinitialisation de votre mot de passe",
        "template": "password_reset",
        "locale": "fr",
        "full_name": "Léa <Martin>",
        "reset_url": "http://localhost/password/reset/abc?x=1&y=2",
        "valid_minutes": 60,
        **overrides,
    }
    return send_templated_email(**arguments)


def test_an_email_is_written_with_a_text_and_an_html_part(db_session, mail_dir):
    assert send_reset() is True

    [message] = read_all(mail_dir)
    assert message["To"] == "lea@example.fr"
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    assert "Les Ateliers" in message["From"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Bonjour Léa <Martin>," in text
    assert "http://localhost/password/reset/abc?x=1&y=2" in text
    assert "valable 60 minutes" in text
    assert "Léa &lt;Martin&gt;" in html  # HTML escapes what people typed
    assert 'href="http://localhost/password/reset/abc?x=1&amp;y=2"' in html
    assert '<html lang="fr">' in html


def test_the_same_email_is_never_sent_twice(db_session, mail_dir):
    assert send_reset() is True
    assert send_reset() is False

    assert len(read_all(mail_dir)) == 1
    assert db.session.scalar(select(func.count(SentEmail.id))) == 1


def test_an_email_is_rendered_in_the_readers_language(db_session, mail_dir):
    send_reset(locale="en")

    [message] = read_all(mail_dir)
    assert '<html lang="en">' in message.get_body(preferencelist=("html",)).get_content()


def test_two_emails_to_one_person_at_once_keep_separate_files(db_session, mail_dir):
    send_reset(dedupe_key="one")
    send_reset(dedupe_key="two")

    assert len(list(mail_dir.glob("*.eml"))) == 2


def test_a_strange_recipient_cannot_write_outside_the_mail_folder(db_session, mail_dir):
    send_reset(to="../../evil/x@example.fr")

    assert len(list(mail_dir.glob("*.eml"))) == 1
    assert list(mail_dir.parent.rglob("evil")) == []


def test_every_email_template_comes_as_a_text_and_html_pair():
    names = {path.stem for path in EMAIL_TEMPLATES.glob("*.txt")} | {
        path.stem for path in EMAIL_TEMPLATES.glob("*.html") if not path.stem.startswith("_")
    }

    assert "password_reset" in names
    for name in names:
        assert (EMAIL_TEMPLATES / f"{name}.txt").exists(), f"{name}.txt is missing"
        assert (EMAIL_TEMPLATES / f"{name}.html").exists(), f"{name}.html is missing"
