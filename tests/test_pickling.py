"""Model objects in the build cache: rebuilt by their class's maker, equal to what was stored, and nothing else let in."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.model.entities import Claim, Claimant, Report
from generator.model.pickling import MAKER
from generator.pipeline import cache
from generator.pipeline.check import run_check


def _global(module: str, name: str) -> bytes:
    """A pickle (protocol 4) whose whole value is the global `module.name`."""

    def text(value: str) -> bytes:
        data = value.encode("utf-8")
        return b"\x8c" + bytes([len(data)]) + data  # SHORT_BINUNICODE

    return b"\x80\x04" + text(module) + text(name) + b"\x93."  # STACK_GLOBAL, STOP


def _sealed(tmp_path: Path, payload: bytes) -> Path:
    path = tmp_path / cache.CACHE_DIR / "x.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cache.seal(payload) + payload)
    return path


def test_a_report_comes_back_from_the_cache_equal_and_of_its_class(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """The sample report, stored and loaded as the store does, is equal field by field; its objects are the model's classes."""
    checked = run_check(make_project())
    assert checked.site is not None
    report = checked.site.reports[0]
    path = tmp_path / cache.CACHE_DIR / "r.pickle"
    cache.save_pickle(path, report)
    loaded = cache.load_pickle(path)
    assert loaded == report and loaded is not report
    assert type(loaded) is Report and type(loaded.claims[0]) is Claim and type(loaded.claims[0].claimant) is Claimant
    assert f"Claim.{MAKER}".encode() in pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)  # rebuilt by the maker


def test_the_maker_sets_every_field() -> None:
    """What a maker builds reads back each field it was given, and stays frozen."""
    made = getattr(Claimant, MAKER)("Jane Doe", "person", "Mayor")
    assert made == Claimant("Jane Doe", "person", "Mayor")
    with pytest.raises(AttributeError):
        made.name = "x"


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("generator.model.entities", "Claim.__init__"),
        ("generator.model.entities", "Claim.__reduce__"),
        ("generator.model.entities", "Claimant.__class__"),
        ("generator.model.entities", f"Claim.{MAKER}.__globals__"),
        ("generator.model.entities", f"dataclasses.{MAKER}"),
        ("generator.pipeline.cache", f"TemplateCache.{MAKER}"),
        ("os", f"system.{MAKER}"),
    ],
)
def test_the_cache_reader_takes_no_other_dotted_name(tmp_path: Path, module: str, name: str) -> None:
    """Only `<model class>._from_fields` is let through besides the classes themselves; a sealed file naming anything else is not used."""
    assert cache.load_pickle(_sealed(tmp_path, _global(module, name))) is None


def test_the_cache_reader_takes_a_model_class_and_its_maker(tmp_path: Path) -> None:
    """The two names the cache itself writes are read back."""
    assert cache.load_pickle(_sealed(tmp_path, _global("generator.model.entities", "Claim"))) is Claim
    assert cache.load_pickle(_sealed(tmp_path, _global("generator.model.entities", f"Claim.{MAKER}"))) is getattr(Claim, MAKER)
