"""A packed text held outside the heap: a small number naming its place in a shared, read-only mapping.

model/arena.py moves a build's packed texts into such mappings before the render forks; the model then
holds a `Moved` for each, which reads, compares, hashes and pickles as the bytes it stands for. A
memoryview did the same in 200 bytes of the heap, and a build holds one for every claim: a Moved takes
48, and rendering writes the reference count of each one it reads (so copies its page in every process).
"""

from __future__ import annotations

import mmap
from typing import Any

# Every mapping made, as a read-only view; kept until the process ends, since the model's Moved values name them.
_VIEWS: list[memoryview] = []
_SPAN = 1 << 40  # a text's start in its mapping and its length each take 40 bits of the number


class Moved(int):
    """Packed bytes at a place in a shared mapping: equal to those bytes, hashed and pickled as them."""

    __slots__ = ()

    def view(self) -> memoryview:
        """The bytes, read in place."""
        which, place = divmod(int(self), _SPAN * _SPAN)
        start, length = divmod(place, _SPAN)
        return _VIEWS[which][start : start + length]

    def __bytes__(self) -> bytes:
        return self.view().tobytes()

    def __len__(self) -> int:
        return int(self) % _SPAN

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if isinstance(other, Moved):
            return int(self) == int(other) or self.view() == other.view()
        if isinstance(other, bytes | memoryview):
            return self.view() == other
        return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.view())  # a read-only view of bytes hashes as the bytes

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its bytes (another process): the mapping is this process's own. A model object holding
        # one pickles it as plain bytes itself (model/pickling.py), which the build cache's unpickler accepts.
        return bytes, (bytes(self),)


def new_mapping(size: int) -> tuple[mmap.mmap, int]:
    """A shared anonymous mapping of `size` bytes to write texts into, and its number for `moved`."""
    mapping = mmap.mmap(-1, size)
    _VIEWS.append(memoryview(mapping).toreadonly())
    return mapping, len(_VIEWS) - 1


def moved(which: int, start: int, length: int) -> Moved:
    """The Moved naming `length` bytes (at least one) from `start` in mapping number `which`."""
    return Moved((which * _SPAN + start) * _SPAN + length)


def readable(data: bytes | Moved) -> bytes | memoryview:
    """Packed bytes as something zlib and pickle read: the bytes themselves, or a view of a moved text."""
    return data.view() if isinstance(data, Moved) else data
