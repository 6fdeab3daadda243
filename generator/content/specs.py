"""The kinds of field the content schema is written in (schema.py): data, so one definition drives validation, JSON Schema and docs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    """Base of every field type; `doc` says what the field is for."""

    doc: str


@dataclass(frozen=True)
class Text(Spec):
    """A string; `markdown` marks fields rendered as markdown, `max_len` a soft limit (warning), `limit` a hard one (error)."""

    markdown: bool = False
    max_len: int = 0
    limit: int = 0  # for text shown on every page, where one long value would multiply the whole site
    single_line: bool = False


@dataclass(frozen=True)
class Slug(Spec):
    """A slug-safe id (lowercase letters, digits, single hyphens); `ref` names what it points to."""

    ref: str = ""


@dataclass(frozen=True)
class Url(Spec):
    """An absolute http(s) URL."""


@dataclass(frozen=True)
class Date(Spec):
    """A calendar date, YYYY-MM-DD."""


@dataclass(frozen=True)
class Integer(Spec):
    """A whole number within [minimum, maximum]."""

    minimum: int = 0
    maximum: int = 1_000_000


@dataclass(frozen=True)
class Boolean(Spec):
    """true or false."""


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed set of strings."""

    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Color(Spec):
    """A CSS hex colour, #rgb or #rrggbb."""


@dataclass(frozen=True)
class Path(Spec):
    """A path relative to the project root (forward slashes)."""


@dataclass(frozen=True)
class ListOf(Spec):
    """A list of items of one spec."""

    item: Spec = field(default_factory=lambda: Text(""))
    min_items: int = 0
    unique: bool = False


@dataclass(frozen=True)
class Field:
    """One key of an object."""

    name: str
    spec: Spec
    required: bool = False


@dataclass(frozen=True)
class Obj(Spec):
    """A mapping with known keys; unknown keys are errors."""

    fields: tuple[Field, ...] = ()
    title: str = ""

    def get(self, name: str) -> Field | None:
        """The field called `name`, if any."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


def req(name: str, spec: Spec) -> Field:
    """A required field."""
    return Field(name, spec, required=True)


def opt(name: str, spec: Spec) -> Field:
    """An optional field."""
    return Field(name, spec, required=False)
