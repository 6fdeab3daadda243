"""The sandbox templates render in: Jinja's, with a quick way through for the content model's own objects.

Templates come with pull requests, so they run in Jinja's SandboxedEnvironment, which checks every
attribute a template reads. For most types that check asks only whether the name starts with '_';
the content model's frozen dataclasses and a loop's `loop` are such types, and a page reads their
attributes over a hundred times. Those reads skip the general check, with the same outcome.
The sandbox also refuses the one-operation memory bombs that no time limit can stop once started:
`'a' * 10**10`, `10 ** 10 ** 10`, `'%0999999999d' % 1`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from generator.model import config, entities


def _plain_types() -> frozenset[type]:
    # Jinja's sandbox (is_internal_attribute) treats functions, methods, types, code, frames, tracebacks,
    # generators and coroutines specially; the model's dataclasses and LoopContext are none of these.
    found = {value for module in (entities, config) for value in vars(module).values() if isinstance(value, type) and dataclasses.is_dataclass(value)}
    return frozenset({*found, jinja2.runtime.LoopContext})


_PLAIN_TYPES = _plain_types()
_MISSING = object()
MAX_MADE = 1_000_000  # characters or items one `*` may make, and digits one `**` may: far beyond any page's need
_SIZED = (str, bytes, list, tuple)
_WIDE = re.compile(r"%[-+ #0]*(?:\*|\d{7,})|%[-+ #0]*\d*\.(?:\*|\d{7,})")  # a width or precision of a million or more


def _too_big(operator: str, left: Any, right: Any) -> bool:
    """True if `left operator right` would make more than MAX_MADE characters, items or digits."""
    if operator == "*":
        pairs = ((left, right), (right, left))
        return any(isinstance(sized, _SIZED) and isinstance(count, int) and len(sized) * count > MAX_MADE for sized, count in pairs)
    if operator == "**":
        # Digits of an integer power: about log10(|base|) * exponent.
        return isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left).bit_length() * right > MAX_MADE * 3.33
    return isinstance(left, str) and _WIDE.search(left) is not None  # '%': a format that pads to millions


class ThemeSandbox(SandboxedEnvironment):
    """Jinja's sandbox; an attribute of a model object or of `loop` that does not start with '_' is read at once."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """`left operator right`, unless it would fill memory."""
        if _too_big(operator, left, right):
            raise SecurityError(f"the expression's result would be too large (more than {MAX_MADE:,} characters, items or digits)")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """The attribute as the sandbox would give it."""
        if type(obj) in _PLAIN_TYPES and not attribute.startswith("_"):
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING:
                return value
        return super().getattr(obj, attribute)
