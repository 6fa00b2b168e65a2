"""`flask accounts ...` commands: the first Admin has to come from somewhere."""
import click

from marketplace.core.transactions import TransactionalGroup

from . import services
from .errors import AccountError, AccountErrorCode
from .models import Role

accounts_cli = TransactionalGroup("accounts", help="User accounts.")


@accounts_cli.command("create-admin")
@click.option("--email", prompt=True, help="Login email of the new Admin.")
@click.option("--full-name", prompt=True, help="Name shown in the admin area.")
@click.password_option(help="At least 10 characters; asked twice when not given.")
def create_admin_command(email: str, full_name: str, password: str) -> None:
    """Create an Admin account (the cooperative's staff)."""
    try:
        user = services.register_user(
            email=email, full_name=full_name, password=password, role=Role.ADMIN
        )
    except AccountError as error:
        reasons = {
            AccountErrorCode.EMAIL_TAKEN: "an account already uses this email",
            AccountErrorCode.WEAK_PASSWORD: (
                f"the password needs at least {services.PASSWORD_MIN_LENGTH} characters "
                "and must not be the email"
            ),
            AccountErrorCode.COMMON_PASSWORD: (
                "the password is too common or too easy to guess: join unrelated words"
            ),
        }
        raise click.ClickException(reasons.get(error.code, error.message)) from error
    click.echo(f"Admin {user.email} created.")
