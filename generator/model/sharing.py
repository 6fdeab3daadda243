"""Equal values held once: the strings and dates of the reports one process models, shared between them.

Reports repeat many values (claimant names and roles, source publishers and kinds, topics, claim
ids, dates), each read from its own file as a new object. The check helpers send their reports
to the build in one pickle, which writes an object once however often it is referenced: with equal
values made the same object first, the build holds each once (a fifth of the model's memory at
4,000 reports), and every process that renders copies that much less of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt


class SharedValues:
    """The strings and dates met so far in one process's models; `share` makes a model use them."""

    def __init__(self, whole: tuple[type, ...] = ()) -> None:
        # Exact str and date values only (a Markup equal to a text must stay Markup); no str equals a date.
        self._values: dict[object, object] = {}
        # Frozen model classes whose equal instances become one object too: a claim's claimant is made for each
        # claim, and a site has a few hundred claimants for tens of thousands of claims (13 MB at 40,000 reports).
        self._whole = frozenset(whole)
        self._fields: dict[type, tuple[str, ...]] = {}  # each model class's field names; () for any other type

    def share(self, model: object) -> None:
        """Replace, throughout `model` (frozen dataclasses), each str and date by the equal one met first.

        The fields are set in place: the value stays equal and of the same type, so no reader of the
        model can tell, and the model is new (nothing else holds it yet). Objects that several reports
        hold (a rating, a person) are walked again each time: setting nothing, and cheaper than
        remembering which were walked.
        """
        values, fields = self._values, self._fields
        stack = [model]
        while stack:
            obj = stack.pop()
            for name in fields.get(type(obj)) or self._names(type(obj)):
                value = getattr(obj, name)
                kind = type(value)
                if kind is str or kind is dt.date:
                    shared = values.setdefault(value, value)
                    if shared is not value:
                        object.__setattr__(obj, name, shared)
                elif kind is tuple:
                    items = self._items(value, stack)
                    if items is not value:
                        object.__setattr__(obj, name, items)
                elif kind in self._whole:
                    shared = values.setdefault(value, value)
                    if shared is not value:
                        object.__setattr__(obj, name, shared)
                    else:
                        stack.append(value)  # met first: its own values are shared in turn
                elif fields.get(kind, True) and self._names(kind):  # a model class (or a type not met yet, then looked at once)
                    stack.append(value)

    def _items(self, items: tuple[object, ...], stack: list[object]) -> tuple[object, ...]:
        """The tuple with its str and date items shared (itself when none changed); its model objects go on the stack."""
        changed = False
        made = []
        for item in items:
            kind = type(item)
            if kind is str or kind is dt.date:
                shared = self._values.setdefault(item, item)
                changed = changed or shared is not item
                item = shared
            elif kind is tuple:
                inner = self._items(item, stack)  # type: ignore[arg-type]
                changed = changed or inner is not item
                item = inner
            elif self._names(kind):
                stack.append(item)
            made.append(item)
        return tuple(made) if changed else items

    def _names(self, kind: type) -> tuple[str, ...]:
        """The field names of a dataclass type, () for any other; worked out once a type."""
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()
        return names
