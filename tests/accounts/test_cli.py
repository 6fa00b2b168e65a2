"""`flask accounts create-admin`."""
from marketplace.accounts import services
from tests.factories.accounts import UserFactory


def run(app, *args, input=None):  # noqa: A002 (click's name for what is typed)
    return app.test_cli_runner().invoke(args=["accounts", "create-admin", *args], input=input)


def test_create_admin_makes_an_admin_who_can_log_in(app, db_session):
    result = run(
        app,
        "--email",
        "Direction@LesAteliers.fr",
        "--full-name",
        "Claire",
        "--password",
        "une-phrase-de-passe-longue",
    )

    assert result.exit_code == 0, result.output
    assert "Admin direction@lesateliers.fr created." in result.output
    admin = services.authenticate_user(
        email="direction@lesateliers.fr", password="une-phrase-de-passe-longue"
    )
    assert admin.is_admin


def test_create_admin_asks_for_the_password_twice(app, db_session):
    result = run(
        app,
        "--email",
        "claire@lesateliers.fr",
        "--full-name",
        "Claire",
        input="une-phrase-de-passe-longue\nune-phrase-de-passe-longue\n",
    )

    assert result.exit_code == 0, result.output
    assert services.find_user_by_email(email="claire@lesateliers.fr").is_admin


def test_create_admin_refuses_a_taken_email_or_a_short_password(app, db_session):
    UserFactory(email="pris@lesateliers.fr")

    taken = run(
        app, "--email", "pris@lesateliers.fr", "--full-name", "X",
        "--password", "une-phrase-de-passe-longue",
    )
    short = run(app, "--email", "neuf@lesateliers.fr", "--full-name", "X", "--password", "court")

    assert taken.exit_code == 1 and "already uses this email" in taken.output
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert services.find_user_by_email(email="neuf@lesateliers.fr") is None
