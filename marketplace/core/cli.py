"""Registers every domain's `flask` command groups on the app."""
from flask import Flask


def register(app: Flask) -> None:
    from marketplace.accounts.cli import accounts_cli
    from marketplace.demo.cli import demo_cli
    from workers.cli import tasks_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(tasks_cli)
