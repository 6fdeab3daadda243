"""Checked values as the validator leaves them, and typed accessors to read them.

The walker in validate.py guarantees the shapes; these functions tell mypy.
"""

from __future__ import annotations

import datetime as dt
from typing import Union

Value = Union[str, int, bool, dt.date, "dict[str, Value]", "list[Value]"]
Obj = dict[str, Value]


def get_text(obj: Obj, key: str, default: str = "") -> str:
    """A text field, or `default` when absent."""
    value = obj.get(key, default)
    return value if isinstance(value, str) else default


def get_int(obj: Obj, key: str, default: int) -> int:
    """An integer field, or `default` when absent."""
    value = obj.get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def get_bool(obj: Obj, key: str, default: bool = False) -> bool:
    """A boolean field, or `default` when absent."""
    value = obj.get(key, default)
    return value if isinstance(value, bool) else default


def get_date(obj: Obj, key: str) -> dt.date | None:
    """A date field, or None when absent."""
    value = obj.get(key)
    return value if isinstance(value, dt.date) else None


def get_obj(obj: Obj, key: str) -> Obj:
    """A nested mapping, or an empty one when absent."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def get_objs(obj: Obj, key: str) -> list[Obj]:
    """A list of mappings (items that failed validation are already gone)."""
    value = obj.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def get_texts(obj: Obj, key: str) -> list[str]:
    """A list of strings."""
    value = obj.get(key)
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
