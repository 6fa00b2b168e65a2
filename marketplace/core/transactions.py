"""How each request's database work begins and ends.

Pages that only read (the storefront: listings, product pages, search, Vendor pages) are
marked `@reads_only`. Their queries run in autocommit mode: PostgreSQL then needs no BEGIN
and no COMMIT or ROLLBACK, two round trips of a page's four, which cost about as much as
the queries themselves on a small machine. Each query still sees committed data only; two
queries of one page may see two states of the shop a few milliseconds apart, which a page of
goods can afford (a Product sold out between them shows as sold out). Writing in such a
request is a bug, refused before anything reaches the database.

Any other request runs in one transaction. If it wrote nothing, it ends with COMMIT instead
of the ROLLBACK that closing the session sends: for such a transaction the two are the same
to PostgreSQL, but psycopg forgets every prepared statement at a ROLLBACK, so queries would
be parsed and planned anew on every request. (Autocommit requests never roll back, so they
keep them too: psycopg prepares a query at its fifth run on a connection.) A request that
wrote anything it did not commit, or that failed, is rolled back.
"""
import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from marketplace.extensions import db

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable)

#: Set in `session.info` once the current transaction writes (a flush, or an ORM UPDATE,
#: DELETE, INSERT or text statement), cleared when it commits.
_WROTE = "transaction_wrote"
#: Set in `session.info` for the requests of `@reads_only` views.
_READS_ONLY = "reads_only"


class WriteInReadOnlyRequest(RuntimeError):
    """A `@reads_only` view tried to write: nothing was sent to the database."""


def reads_only(view: View) -> View:
    """Mark a view whose GET requests only read (see the module's docstring)."""
    view.reads_only = True
    return view


def register_transactions(app: Flask) -> None:
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "before_flush", _refuse_writes_when_reading_only)
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _forget_writes)
    app.before_request(start_read_only_request)
    app.teardown_request(end_read_only_transaction)


def start_read_only_request() -> None:
    view = current_app.view_functions.get(request.endpoint)
    if request.method in ("GET", "HEAD") and getattr(view, "reads_only", False):
        session = db.session()
        if not session.in_transaction():  # a request's session starts empty, except in tests
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        session.info[_READS_ONLY] = True


def _refuse_writes_when_reading_only(session: Session, *_: object) -> None:
    if session.info.get(_READS_ONLY) and (session.new or session.dirty or session.deleted):
        raise WriteInReadOnlyRequest("a @reads_only view tried to write")


def _note_flush(session: Session, flush_context: object) -> None:
    session.info[_WROTE] = True


def _note_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        if state.session.info.get(_READS_ONLY):
            raise WriteInReadOnlyRequest("a @reads_only view tried to write")
        state.session.info[_WROTE] = True


def _forget_writes(session: Session) -> None:
    session.info.pop(_WROTE, None)


def end_read_only_transaction(error: BaseException | None = None) -> None:
    """Commit the request's transaction when it is open, clean and wrote nothing."""
    session = db.session()
    if session.info.pop(_READS_ONLY, False):
        return  # autocommit: nothing to end
    if error is not None or not session.in_transaction():
        return
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        return  # left to the session's close, which rolls it back
    try:
        session.commit()
    except Exception:
        # Nothing was written: the page is served all the same, and closing rolls back.
        log.exception("ending a read-only transaction failed")
