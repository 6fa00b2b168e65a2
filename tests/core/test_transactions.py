"""One transaction per request, task and CLI command: committed once after a successful view,
rolled back after an exception, an error response or a domain error."""
from contextlib import contextmanager

import pytest
from flask import Blueprint, abort, redirect
from sqlalchemy import event, func, select

from marketplace import create_app
from marketplace.catalog.models import Category
from marketplace.core.errors import DomainError
from marketplace.core.transactions import TransactionalGroup, commit_now, errors_redirect_to
from marketplace.extensions import db

probe = Blueprint("transaction_probe", __name__)


def _add_category(slug: str) -> None:
    db.session.add(Category(name=slug.title(), name_en=slug.title(), slug=slug))
    db.session.flush()


@probe.post("/probe/saved")
def saved():
    _add_category("saved")
    return redirect("/probe/done")


@probe.post("/probe/crashed")
def crashed():
    _add_category("crashed")
    raise RuntimeError("the view failed after writing")


@probe.post("/probe/not-found")
def not_found_after_writing():
    _add_category("lost")
    abort(404)


@probe.post("/probe/refused")
def refused():
    _add_category("refused")
    raise DomainError("sold_out", "Plus de stock pour ce pull.")


@probe.post("/probe/refused-with-target")
@errors_redirect_to(lambda error: f"/probe/where-to-fix?code={error.code}")
def refused_with_target():
    _add_category("refused")
    raise DomainError("sold_out", "Plus de stock pour ce pull.")


@probe.post("/probe/two-steps")
def two_steps():
    _add_category("first-step")
    commit_now()
    _add_category("second-step")
    raise RuntimeError("the second step failed")


probe_commands = TransactionalGroup("probe")


@probe_commands.command("add")
def add_command() -> None:
    _add_category("from-cli")


@probe_commands.command("fail")
def fail_command() -> None:
    _add_category("from-failed-cli")
    raise RuntimeError("the command failed")


@pytest.fixture(scope="module")
def probe_app(app):
    """An app of its own, with views that write and then succeed or fail in each way."""
    probe_app = create_app(
        "test", MEDIA_DIR=app.config["MEDIA_DIR"], MAIL_DIR=app.config["MAIL_DIR"]
    )
    probe_app.register_blueprint(probe)
    probe_app.cli.add_command(probe_commands)
    yield probe_app
    with probe_app.app_context():
        db.engine.dispose()


@pytest.fixture
def probe_client(probe_app, committed_db):
    yield probe_app.test_client()


def _slugs_in_database(probe_app) -> set[str]:
    with probe_app.app_context():
        return set(db.session.scalars(select(Category.slug)))


@contextmanager
def transaction_endings(engine):
    """Which way each transaction on `engine` ended: "commit" or "rollback"."""
    endings: list[str] = []
    listeners = {"commit": lambda conn: endings.append("commit"),
                 "rollback": lambda conn: endings.append("rollback")}
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        yield endings
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)


def test_a_successful_view_is_committed_once_after_it_returned(probe_app, probe_client):
    with probe_app.app_context():
        engine = db.engine
    with transaction_endings(engine) as endings:
        response = probe_client.post("/probe/saved")

    assert response.status_code == 302
    assert endings == ["commit"]
    assert _slugs_in_database(probe_app) == {"saved"}


def test_an_exception_rolls_the_request_back(probe_app, probe_client):
    probe_app.testing = False  # a real 500 page rather than the exception in the test
    try:
        response = probe_client.post("/probe/crashed")
    finally:
        probe_app.testing = True

    assert response.status_code == 500
    assert _slugs_in_database(probe_app) == set()


def test_an_error_response_rolls_the_request_back(probe_app, probe_client):
    response = probe_client.post("/probe/not-found")

    assert response.status_code == 404
    assert _slugs_in_database(probe_app) == set()


def test_a_domain_error_is_rolled_back_and_shown_on_the_page_it_came_from(
    probe_app, probe_client
):
    response = probe_client.post(
        "/probe/refused", headers={"Referer": "http://localhost/products/pull-marin?size=M"}
    )

    assert response.status_code == 303
    assert response.location == "/products/pull-marin?size=M"
    with probe_client.session_transaction() as session:
        assert session["_flashes"] == [("error", "Plus de stock pour ce pull.")]
    assert _slugs_in_database(probe_app) == set()


def test_a_domain_error_never_sends_the_visitor_to_another_site(probe_app, probe_client):
    response = probe_client.post("/probe/refused", headers={"Referer": "https://evil.example/x"})

    assert response.status_code == 303
    assert response.location == "/"


def test_a_view_declares_where_its_domain_errors_go(probe_app, probe_client):
    response = probe_client.post("/probe/refused-with-target")

    assert response.status_code == 303
    assert response.location == "/probe/where-to-fix?code=sold_out"
    assert _slugs_in_database(probe_app) == set()


def test_commit_now_keeps_the_first_step_when_the_second_fails(probe_app, probe_client):
    probe_app.testing = False
    try:
        response = probe_client.post("/probe/two-steps")
    finally:
        probe_app.testing = True

    assert response.status_code == 500
    assert _slugs_in_database(probe_app) == {"first-step"}


def test_a_request_that_only_reads_writes_nothing(probe_app, probe_client, committed_db):
    _add_category("existing")
    committed_db.commit()
    with probe_app.app_context():
        engine = db.engine
    with transaction_endings(engine) as endings:
        response = probe_client.get("/healthz")

    assert response.status_code == 200
    assert "rollback" not in endings


def test_a_cli_command_commits_once_when_it_returns(probe_app, committed_db):
    result = probe_app.test_cli_runner().invoke(args=["probe", "add"])

    assert result.exit_code == 0, result.output
    assert _slugs_in_database(probe_app) == {"from-cli"}


def test_a_failed_cli_command_is_rolled_back(probe_app, committed_db):
    result = probe_app.test_cli_runner().invoke(args=["probe", "fail"])

    assert result.exit_code != 0
    assert _slugs_in_database(probe_app) == set()
    with probe_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Category)) == 0
