"""The app served over real HTTP on loopback, and Chromium to drive it, for the browser tests."""
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def serve_app(app: Flask, **config: object) -> Iterator[str]:
    """A second app on the test database, with CSRF on as in production, served in a thread
    on a free port of 127.0.0.1 until the block ends; yields its base URL."""
    served = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MEDIA_DIR=app.config["MEDIA_DIR"],
        MAIL_DIR=app.config["MAIL_DIR"],
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,
        **config,
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with served.app_context():
            db.engine.dispose()


def launch_chromium(playwright):  # noqa: ANN001, ANN201
    """Debian's Chromium, headless, without the sandbox a container lacks."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
