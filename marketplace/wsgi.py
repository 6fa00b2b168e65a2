"""The production entry point: `gunicorn marketplace.wsgi:app` (see `make web`).

`create_app()` alone follows MARKETPLACE_ENV and defaults to the embedded development hub; a
server started from this module is always the production configuration, which refuses to
start without its secrets.
"""
from marketplace import create_app

app = create_app("production")
