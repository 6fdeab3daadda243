"""The sandbox templates render in: Jinja's, with a quick way through for the content model's own objects.

Templates come with pull requests, so they run in Jinja's ImmutableSandboxedEnvironment, which checks every
attribute a template reads. For most types that check asks only whether the name starts with '_';
the content model's frozen dataclasses and a loop's `loop` are such types, and a page reads their
attributes over a hundred times. Those reads skip the general check, with the same outcome.
It also refuses the methods that change a list, dict or set (`append`, `update`...): globals such as
`languages`, `dates` and the string tables are shared by every page, and a change one page made would show
on the pages rendered after it in the same process, so that a page depended on the order of rendering.
The sandbox also refuses the one-operation memory bombs that no time limit can stop once started:
`'a' * 10**10`, `10 ** 10 ** 10`, `'%0999999999d' % 1`, a replace or a join of a million characters
or more; what is built in several steps meets the render's memory ceiling (ceiling.py).
"""

from __future__ import annotations

import contextvars
import dataclasses
import os
import re
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from functools import update_wrapper
from pathlib import Path
from types import FunctionType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Namespace
from markupsafe import Markup

from generator.model import config, entities
from generator.site.deadline import check_deadline


def _plain_types() -> frozenset[type]:
    # Jinja's sandbox (is_internal_attribute) treats functions, methods, types, code, frames, tracebacks,
    # generators and coroutines specially; the model's dataclasses and LoopContext are none of these.
    found = {value for module in (entities, config) for value in vars(module).values() if isinstance(value, type) and dataclasses.is_dataclass(value)}
    return frozenset({*found, jinja2.runtime.LoopContext})


_PLAIN_TYPES = _plain_types()
_MISSING = object()
# Where the generator's own code lives: functions written there (url, t, shared...) are the globals it gives templates.
# Their code's file, not __module__, which functools.wraps copies (Jinja's wrapper of str.format has that of str).
_OWN_CODE = str(Path(__file__).parent.parent) + os.sep  # as the importer named it, like co_filename
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


_PADDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})  # str methods whose first argument sets the size


def _widens(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """True if calling `obj` (a str method) would make more than MAX_MADE characters.

    Not `format`: templates reach it only as ThemeSandbox.wrap_str_format's, which measures each field's spec
    filled in (a class's attributes, `Markup.format` among them, are refused by ThemeSandbox.is_safe_attribute).
    """
    target = getattr(obj, "__wrapped__", obj)
    owner, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
    if not isinstance(owner, str):
        return False
    numbers = [value for value in (*args, *kwargs.values()) if isinstance(value, (int, float))]
    if name in _PADDING:
        return any(value * max(1, owner.count("\t")) > MAX_MADE for value in numbers)
    if name == "replace" and len(args) >= 2:
        return _replaced_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1) > MAX_MADE
    if name == "join" and args:
        return _joined_size(owner, args[0]) > MAX_MADE
    return False


def _replaced_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    """The length of text.replace(old, new, count), worked out without making it (0 for arguments replace refuses)."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str) and isinstance(count, int)):
        return 0
    found = len(text) + 1 if not old else text.count(old)  # '' is found between every two characters
    return len(text) + (found if count < 0 else min(found, count)) * (len(new) - len(old))


def _joined_size(separator: Any, items: Any) -> int:
    """About the length of separator.join(items) for a list or tuple of strings (0 for anything else: a generator is not consumed)."""
    if not isinstance(items, (list, tuple)):
        return 0
    return len(str(separator)) * max(0, len(items) - 1) + sum(len(item) for item in items if isinstance(item, str))


def guarded_filters(filters: dict[str, Any]) -> None:
    """Replace the filters that can fill memory in one call (center, format, indent, replace, join) by ones that refuse to."""
    center, fmt, indent, replace, join = filters["center"], filters["format"], filters["indent"], filters["replace"], filters["join"]

    def safe_center(value: Any, width: int = 80) -> Any:
        if isinstance(width, (int, float)) and width > MAX_MADE:
            raise SecurityError(f"center() width over {MAX_MADE:,}")
        return center(value, width)

    def safe_format(value: Any, *args: Any, **kwargs: Any) -> Any:
        if _too_big("%", str(value), None):
            raise SecurityError("the format's result would be too large (a width of millions)")
        return fmt(value, *args, **kwargs)

    def safe_indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
        if isinstance(width, (int, float)) and width * max(1, str(value).count("\n") + 1) > MAX_MADE:
            raise SecurityError(f"indent() would make more than {MAX_MADE:,} characters")
        return indent(value, width, *args, **kwargs)

    @jinja2.pass_eval_context
    def safe_replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
        if _replaced_size(str(value), str(old), str(new), -1 if count is None else count) > MAX_MADE:
            raise SecurityError(f"replace() would make more than {MAX_MADE:,} characters")
        return replace(eval_ctx, value, old, new, count)

    @jinja2.pass_eval_context
    def safe_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = value if attribute is not None or isinstance(value, (list, tuple)) else list(value)  # a generator is read once
        if attribute is None and _joined_size(d, items) > MAX_MADE:  # other items' text is the memory ceiling's to bound
            raise SecurityError(f"join() would make more than {MAX_MADE:,} characters")
        return join(eval_ctx, items, d, attribute)

    filters.update(center=safe_center, format=safe_format, indent=safe_indent, replace=safe_replace, join=safe_join)


# The values of the page being rendered (render.render_job). A module imported without context is made once
# for every page, its context holding the globals only: links made there are made from the page through this.
PAGE: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar("factcheck_page", default=None)


class PageNamespace(Namespace):
    """`namespace()` for templates: changed only while the page that made it renders.

    A namespace made by a module imported without context is made once and seen by every page after: what one
    page set there, the next would read, so that a page depended on the pages rendered before it.
    """

    def __init__(*args: Any, **kwargs: Any) -> None:  # as Namespace's: `self` may be a value's name
        Namespace.__init__(*args, **kwargs)
        object.__setattr__(args[0], "_made_on", PAGE.get())

    def __setitem__(self, name: str, value: Any) -> None:
        """`{% set ns.name = value %}`, on the page that made the namespace only."""
        if object.__getattribute__(self, "_made_on") is not PAGE.get():
            raise SecurityError("a namespace made by an imported template is shared by every page, so no page may change it")
        super().__setitem__(name, value)


class TemplateRecursion(jinja2.TemplateError):
    """Templates called each other past Python's recursion limit (a macro calling itself, say)."""


_TOO_DEEP = "templates call each other too deeply (a macro that calls itself?)"
_CONTEXT = getattr(jinja2.pass_context(lambda context: None), "jinja_pass_arg")  # noqa: B009 - set by Jinja at run time


class TimedContext(jinja2.runtime.Context):
    """A template context whose every call checks the render deadline (ThemeSandbox.call makes the common calls itself)."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Check the deadline, then call as Jinja does; runaway recursion becomes a TemplateRecursion."""
        check_deadline()
        try:
            return super().call(__obj, *args, **kwargs)
        except RecursionError:
            # A template error like any other, so every sink reports it at the template's line.
            raise TemplateRecursion(_TOO_DEEP) from None


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals over its environment's, whose keys are a real set and whose names are read without exceptions.

    Jinja subtracts the keys from a set of names each time a page imports a template (`_get_default_module`),
    makes a set of the names for every context and a dict of the globals for every page: a ChainMap's keys
    view and iterator are Python loops over every name, and its lookup of a name of the environment's raises
    and catches a KeyError in the template's own map first (together a tenth of a page's time).
    """

    def keys(self) -> set[str]:  # type: ignore[override]
        """Every name, as a set made anew: a page's names cannot change while it imports."""
        return set().union(*self.maps)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __getitem__(self, key: str) -> Any:
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        return self.__missing__(key)


_WIDE_SPEC = re.compile(r"\d{7,}")  # a width or precision of a million or more, in a field's spec as Python reads it


class _MeasuredFormatter(SandboxedFormatter):
    """Jinja's sandboxed `str.format`, refusing a field a million wide once the spec's own fields are filled in.

    `'{:>{}}'.format('x', '1500000000')` names its width through an argument (a string, an item, an
    attribute): only the spec Python is about to apply shows it.
    """

    def format_field(self, value: Any, format_spec: str) -> Any:
        """Format one field, unless its width or precision would make more than MAX_MADE characters."""
        if _WIDE_SPEC.search(format_spec):
            raise SecurityError(f"the call's result would be too large (more than {MAX_MADE:,} characters)")
        return super().format_field(value, format_spec)


class _MeasuredEscapeFormatter(_MeasuredFormatter, SandboxedEscapeFormatter):
    """The same for `Markup.format`, which escapes what it fills in."""


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, lists and dicts read-only; an attribute of a model object or of `loop` that does not start with '_' is read at once."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals, as Jinja makes them but with keys that subtract quickly."""
        return TemplateGlobals(d or {}, self.globals)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rule, and no attribute of a class at all.

        A method read from its class (`Markup.format`) is a plain function: Jinja's sandbox neither wraps
        nor measures it, and markupsafe's formatter then reads any attribute of what it fills in
        (`{0.__init__.__globals__[os].environ}` printed the building machine's secrets). Templates call
        the classes they are given (`Markup('<code>x</code>')`); they never need what is on them.
        """
        return not isinstance(obj, type) and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` and `format_map` as Jinja's sandbox offers them, with each field's size measured (_MeasuredFormatter)."""
        if super().wrap_str_format(value) is None:
            return None
        owner: str = value.__self__
        kind, is_map = type(owner), value.__name__ == "format_map"
        formatter = _MeasuredEscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup) else _MeasuredFormatter(self)

        def measured(*args: Any, **kwargs: Any) -> str:
            if not is_map:
                return kind(formatter.vformat(owner, args, kwargs))
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument and no keyword arguments")
            return kind(formatter.vformat(owner, (), args[0]))

        return update_wrapper(measured, value)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """`left operator right`, unless it would fill memory."""
        if _too_big(operator, left, right):
            raise SecurityError(f"the expression's result would be too large (more than {MAX_MADE:,} characters, items or digits)")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call from a template, unless the call would fill memory (`'a'.ljust(10**10)`, `'{:>9999999999}'.format(1)`)."""
        kind = type(__obj)
        if kind is jinja2.runtime.Macro:
            passes = None
        elif kind is FunctionType and __obj.__code__.co_filename.startswith(_OWN_CODE):
            passes = getattr(__obj, "jinja_pass_arg", None)
        else:
            if _widens(__obj, args, kwargs):
                raise SecurityError(f"the call's result would be too large (more than {MAX_MADE:,} characters)")
            return super().call(__context, __obj, *args, **kwargs)
        # A template's own macro, or one of the generator's globals (url, t, shared...): most calls of a page.
        # Jinja's sandbox would find them safe (none is marked unsafe) and none is a str method to widen;
        # one taking nothing or the context is called here as Jinja's Context.call would, less its probes.
        if passes is not None and (passes is not _CONTEXT or kwargs.get("_block_vars") or kwargs.get("_loop_vars")):
            return __context.call(__obj, *args, **kwargs)
        check_deadline()
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(__context, *args, **kwargs) if passes is _CONTEXT else __obj(*args, **kwargs)
        except StopIteration:
            return __context.environment.undefined("value was undefined because a callable raised a StopIteration exception")
        except RecursionError:
            raise TemplateRecursion(_TOO_DEEP) from None

    def getattr(self, obj: Any, attribute: str) -> Any:
        """The attribute as the sandbox would give it."""
        if type(obj) in _PLAIN_TYPES and not attribute.startswith("_"):
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING:
                return value
        return super().getattr(obj, attribute)
