"""How model objects are pickled for the build cache."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

from generator.model.mapped import Moved

_Cls = TypeVar("_Cls", bound=type)

MAKER = "_from_fields"  # the name, on each model class, of the function the cache rebuilds its instances with


def pickled_by_init(cls: _Cls) -> _Cls:
    """Pickle a frozen dataclass's instances as a call of the class's maker with their fields.

    A warm build or check loads every report's model from the cache (some 150,000 objects at 4,000
    reports). The slotted dataclass default (a setstate looking the fields up again for each object)
    takes twice as long as calling the class, and calling the class (its frozen `__init__` looks up
    `object.__setattr__` for every field) 1.8 times as long as the maker, which stores each field
    through its slot directly. The model has no `__post_init__`, so nothing is skipped.
    """
    names = tuple(f.name for f in dataclasses.fields(cls))
    maker = _maker(cls, names)
    maker.__module__, maker.__qualname__ = cls.__module__, f"{cls.__qualname__}.{MAKER}"  # where pickle finds it again
    setattr(cls, MAKER, staticmethod(maker))

    # A packed text moved out of the heap (model/mapped.py) goes as its bytes: the cache's unpickler builds
    # nothing but plain data and the model's own classes.
    moved = tuple(i for i, f in enumerate(dataclasses.fields(cls)) if f.type == "Packed")

    # The fields as one tuple, read in C: a generator of getattr calls made pickling the model a third slower.
    fields: Callable[[Any], Any] = operator.attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)

    def reduce(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        values: tuple[Any, ...] = fields(self)
        if moved and any(type(values[i]) is Moved for i in moved):
            return maker, tuple(_as_bytes(value) if type(value) is Moved else value for value in values)
        return maker, values

    cls.__reduce__ = reduce  # type: ignore[method-assign,assignment]
    return cls


# The bytes last made of a few moved texts, each held so that its id stays its own: a report's sources are its
# claims' too, one object pickled once, and the same bytes object given for each lets pickle write it once.
_RECENT: dict[int, tuple[Moved, bytes]] = {}
_RECENT_SIZE = 16


def _as_bytes(place: Moved) -> bytes:
    hit = _RECENT.get(id(place))
    if hit is None:
        if len(_RECENT) >= _RECENT_SIZE:
            del _RECENT[next(iter(_RECENT))]
        hit = _RECENT[id(place)] = (place, bytes(place))
    return hit[1]


def _maker(cls: type, names: tuple[str, ...]) -> Callable[..., Any]:
    # Straight-line code, as dataclasses writes __init__: a loop over the slots would cost a third more.
    setters = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    body = "".join(f"    _set_{name}(self, {name})\n" for name in names)
    source = f"def {MAKER}({', '.join(names)}):\n    self = _new(_cls)\n{body}    return self\n"
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, scope)  # field names of our own classes, as dataclasses itself does
    made: Callable[..., Any] = scope[MAKER]
    return made
