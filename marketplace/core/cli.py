"""Registers every domain's `flask` command groups on the app."""
from flask import Flask


def register(app: Flask) -> None:
    from marketplace.demo.cli import demo_cli

    app.cli.add_command(demo_cli)
