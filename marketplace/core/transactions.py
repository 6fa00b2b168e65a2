"""How each request's database transaction ends.

A request that wrote nothing ends its transaction with COMMIT instead of the ROLLBACK that
closing the session sends. For a transaction that wrote nothing the two are the same to
PostgreSQL, but psycopg forgets every prepared statement at a ROLLBACK: ending each page
with one meant that the storefront's queries were parsed and planned anew on every request
(about half of their time in the database). With COMMIT, psycopg prepares a query after its
fifth run on a connection and reuses the plan from then on.

A request that wrote anything it did not commit, or that failed, is rolled back as before.
"""
import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from marketplace.extensions import db

log = logging.getLogger(__name__)

#: Set in `session.info` once the current transaction writes (a flush, or an ORM UPDATE,
#: DELETE, INSERT or text statement), cleared when it commits.
_WROTE = "transaction_wrote"


def register_transaction_ending(app: Flask) -> None:
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _forget_writes)
    app.teardown_request(end_read_only_transaction)


def _note_flush(session: Session, flush_context: object) -> None:
    session.info[_WROTE] = True


def _note_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


def _forget_writes(session: Session) -> None:
    session.info.pop(_WROTE, None)


def end_read_only_transaction(error: BaseException | None = None) -> None:
    """Commit the request's transaction when it is open, clean and wrote nothing."""
    session = db.session()
    if error is not None or not session.in_transaction():
        return
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        return  # left to the session's close, which rolls it back
    try:
        session.commit()
    except Exception:
        # Nothing was written: the page is served all the same, and closing rolls back.
        log.exception("ending a read-only transaction failed")
