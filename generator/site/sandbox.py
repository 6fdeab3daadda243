"""The sandbox templates render in: Jinja's, with a quick way through for the content model's own objects.

Templates come with pull requests, so they run in Jinja's SandboxedEnvironment, which checks every
attribute a template reads. For most types that check asks only whether the name starts with '_';
the content model's frozen dataclasses and a loop's `loop` are such types, and a page reads their
attributes over a hundred times. Those reads skip the general check, with the same outcome.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from generator.model import config, entities


def _plain_types() -> frozenset[type]:
    # Jinja's sandbox (is_internal_attribute) treats functions, methods, types, code, frames, tracebacks,
    # generators and coroutines specially; the model's dataclasses and LoopContext are none of these.
    found = {value for module in (entities, config) for value in vars(module).values() if isinstance(value, type) and dataclasses.is_dataclass(value)}
    return frozenset({*found, jinja2.runtime.LoopContext})


_PLAIN_TYPES = _plain_types()
_MISSING = object()


class ThemeSandbox(SandboxedEnvironment):
    """Jinja's sandbox; an attribute of a model object or of `loop` that does not start with '_' is read at once."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """The attribute as the sandbox would give it."""
        if type(obj) in _PLAIN_TYPES and not attribute.startswith("_"):
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING:
                return value
        return super().getattr(obj, attribute)
