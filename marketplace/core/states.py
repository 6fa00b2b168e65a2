"""A small explicit state machine: a table of (state, event) -> next state."""
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Generic, TypeVar

from marketplace.extensions import db

from .errors import InvalidTransition

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)


class StateMachine(Generic[S, E]):
    def __init__(self, name: str, table: Mapping[tuple[S, E], S]):
        self.name = name
        self.table = dict(table)
        state, event = next(iter(self.table))
        self._state_type, self._event_type = type(state), type(event)

    def next_state(self, state: S, event: E) -> S:
        try:
            return self.table[(state, event)]
        except KeyError:
            raise InvalidTransition(
                "invalid_transition",
                f"{self.name}: cannot {event} from {state}",
                state=state,
                event=event,
            ) from None

    def allows(self, state: S, event: E) -> bool:
        return (state, event) in self.table

    def events_from(self, state: S) -> list[E]:
        return [event for (source, event) in self.table if source == state]

    def apply(self, holder: Any, event: E | str, *, record: Callable[[S, S], object]) -> S:
        """Move `holder.status` on by `event` and add the event row `record(from, to)` builds.

        Raises `InvalidTransition` (and changes nothing) when the event makes no sense now.
        """
        current = self._state_type(holder.status)
        target = self.next_state(current, self._event_type(event))
        holder.status = target
        db.session.add(record(current, target))
        db.session.flush()
        return target
