"""A small explicit state machine: a table of (state, event) -> next state."""
from collections.abc import Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from .errors import InvalidTransition

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)


class StateMachine(Generic[S, E]):
    def __init__(self, name: str, table: Mapping[tuple[S, E], S]):
        self.name = name
        self.table = dict(table)

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
