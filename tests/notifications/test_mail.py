"""The SMTP mail gateway, against a small SMTP server on loopback."""
import socketserver
import threading
from email import policy
from email.parser import BytesParser

import pytest

from marketplace.notifications.mail import build_message, deliver


class RecordingSMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greet, accept one or more messages, record them."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 loopback ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            self.server.commands.append(command)
            if verb == "EHLO":
                self.reply("250-loopback")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.messages.append(data)
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RecordingSMTPHandler)
    server.daemon_threads = True
    server.commands, server.messages = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_backend_sends_the_message(app, smtp_server, monkeypatch):
    for key, value in {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.server_address[1],
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": "ateliers",
        "MAIL_PASSWORD": "secret-smtp",
    }.items():
        monkeypatch.setitem(app.config, key, value)

    with app.app_context():
        message = build_message(
            to="lea@example.fr", subject="Essai", text="Bonjour", html="<p>Bonjour</p>"
        )
        where = deliver(message)

    assert where == "127.0.0.1"
    assert any(command.startswith("AUTH PLAIN") for command in smtp_server.commands)
    assert "rcpt to:<lea@example.fr>" in [command.lower() for command in smtp_server.commands]
    [raw] = smtp_server.messages
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["Subject"] == "Essai"
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>Bonjour</p>"
