"""Equal values held once (generator/model/sharing.py): the same objects after `share`, the same values and types."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass

from markupsafe import Markup

from generator.model.sharing import SharedValues


@dataclass(frozen=True, slots=True)
class Leaf:
    name: str
    when: dt.date | None
    html: str = ""


@dataclass(frozen=True, slots=True)
class Root:
    title: str
    leaves: tuple[Leaf, ...]
    tags: tuple[str, ...]
    nested: tuple[tuple[str, int], ...] = ()
    count: int = 0


def made(seed: str) -> Root:
    """A model whose values are equal to another made the same way, but distinct objects (as read from two files)."""
    text = "".join(["Jane ", seed, "Doe"])
    return Root(
        "".join(["Title", seed]),
        (Leaf(text, dt.date(2024, 5, 1 + len(seed)), Markup("".join(["<b>", seed, "</b>"]))), Leaf("".join(["person", seed]), None)),
        ("".join(["health", seed]), "".join(["tax", seed])),
        (("".join(["k", seed]), 10**30),),
        7,
    )


def test_equal_strings_and_dates_of_two_models_become_one_object() -> None:
    shared = SharedValues()
    a, b = made(""), made("")
    assert a.leaves[0].name is not b.leaves[0].name and a.leaves[0].when is not b.leaves[0].when
    shared.share(a)
    shared.share(b)
    assert a == b == made("")  # values unchanged
    assert a.title is b.title and a.leaves[0].name is b.leaves[0].name and a.leaves[1].name is b.leaves[1].name
    assert a.leaves[0].when is b.leaves[0].when
    assert a.tags is b.tags or all(x is y for x, y in zip(a.tags, b.tags, strict=True))
    assert a.nested[0][0] is b.nested[0][0]
    # Once shared, a pickle of both writes each value once, as the check helpers' results are sent.
    assert len(pickle.dumps([a, b])) < len(pickle.dumps([made(""), made("")]))
    loaded = pickle.loads(pickle.dumps([a, b]))
    assert loaded == [a, b] and loaded[0].leaves[0].name is loaded[1].leaves[0].name


def test_a_markup_value_stays_markup_and_a_text_stays_text() -> None:
    shared = SharedValues()
    marked = Root("<b></b>", (Leaf("x", None, Markup("<b></b>")),), ())
    plain = Root("x", (Leaf("<b></b>", None, "<b></b>"),), ())
    shared.share(marked)
    shared.share(plain)
    assert type(marked.title) is str and type(marked.leaves[0].html) is Markup
    assert type(plain.leaves[0].name) is str and type(plain.leaves[0].html) is str
    assert plain.leaves[0].name is marked.title  # the equal plain texts are shared; the Markup is not mixed in


def test_different_values_stay_apart() -> None:
    shared = SharedValues()
    a, b = made("1"), made("22")
    shared.share(a)
    shared.share(b)
    assert a == made("1") and b == made("22") and a.title != b.title and a.leaves[0].when != b.leaves[0].when


@dataclass(frozen=True, slots=True)
class Holder:
    leaf: Leaf
    other: Leaf


def test_equal_objects_of_a_whole_class_become_one_object_and_others_do_not() -> None:
    shared = SharedValues(whole=(Leaf,))
    a, b = Holder(Leaf("".join(["Jane ", "Doe"]), None), Leaf("x", None)), Holder(Leaf("".join(["Jane ", "Doe"]), None), Leaf("y", None))
    shared.share(a)
    shared.share(b)
    assert a.leaf is b.leaf and a.leaf == Leaf("Jane Doe", None)  # one claimant object for every claim of theirs
    assert a.other is not b.other and a.other.name == "x" and b.other.name == "y"  # unequal ones stay apart
    unshared = SharedValues()
    c, d = Holder(Leaf("".join(["Jane ", "Doe"]), None), Leaf("x", None)), Holder(Leaf("".join(["Jane ", "Doe"]), None), Leaf("x", None))
    unshared.share(c)
    unshared.share(d)
    assert c.leaf is not d.leaf and c.leaf.name is d.leaf.name  # without it, only the values inside are shared
