"""`flask demo ...` commands."""

import time

import click

from marketplace.core.transactions import TransactionalGroup

demo_cli = TransactionalGroup("demo", help="Demo hub data.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo hub if the database has no Vendor yet (safe to run again)."""
    from .seed import seed_demo_hub

    started = time.perf_counter()
    created = seed_demo_hub()
    if created:
        click.echo(f"Demo hub created in {time.perf_counter() - started:.1f} s.")
    else:
        click.echo("Demo hub already present; nothing changed.")


@demo_cli.command("accounts")
def accounts_command() -> None:
    """Print the demo accounts to log in with."""
    from .data import DEMO_ACCOUNTS

    click.echo("Demo accounts (email / password):")
    for account in DEMO_ACCOUNTS:
        click.echo(
            f"  {account.role:<9} {account.email:<28} {account.password:<20} {account.description}"
        )
