"""`flask demo ...` commands."""
import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo hub data.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo hub if the database is empty (safe to run again)."""
    from marketplace.extensions import db

    from .seed import seed_demo_hub

    created = seed_demo_hub()
    db.session.commit()
    click.echo("Demo hub created." if created else "Demo hub already present; nothing changed.")
