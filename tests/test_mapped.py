"""A packed text's place in a shared mapping (Moved): it reads, compares, hashes and pickles as its bytes."""

from __future__ import annotations

import pickle
import sys
import zlib

from generator.model.mapped import Moved, moved, new_mapping, readable


def _placed(data: bytes, before: bytes = b"xx") -> Moved:
    mapping, which = new_mapping(len(before) + len(data))
    mapping.write(before + data)
    return moved(which, len(before), len(data))


def test_a_moved_text_is_its_bytes() -> None:
    packed = zlib.compress(b"an analysis")
    place = _placed(packed)
    assert bytes(place) == packed and len(place) == len(packed) and bool(place)
    assert place == packed and packed == place and place == memoryview(packed) and place.__ne__(packed) is False
    assert place != packed + b"!" and place != 3 and place != "text"
    assert hash(place) == hash(packed)
    assert {packed: "found"}[place] == "found"  # a key hashed as bytes is found by its moved place, and back
    assert {place: "found"}[packed] == "found"
    assert zlib.decompress(readable(place)) == b"an analysis" and readable(packed) is packed


def test_two_places_of_equal_bytes_are_equal() -> None:
    first, second = _placed(b"same"), _placed(b"same", before=b"longer prefix")
    assert int(first) != int(second) and first == second and hash(first) == hash(second)
    assert first != _placed(b"other")


def test_a_moved_text_pickles_as_bytes_once_however_often_held() -> None:
    place = _placed(b"sources" * 100)
    copy = pickle.loads(pickle.dumps([place, place]))
    assert copy == [b"sources" * 100] * 2 and type(copy[0]) is bytes
    assert copy[0] is copy[1]  # written once: a report's sources are its claims' too


def test_a_moved_text_is_small() -> None:
    # What it is for: a memoryview in its place took about 200 bytes, and a build holds one for every claim.
    assert sys.getsizeof(_placed(b"x" * 10_000)) <= 64
