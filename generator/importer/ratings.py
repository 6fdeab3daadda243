"""Match imported rating labels to the site's scale: by key or label ignoring case and punctuation, then by a map."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.importer.normalise import slug_id

PLACEHOLDER = "TODO: say in one sentence when this rating applies (added by factcheck import)."
PLACEHOLDER_COLOR = "#59636e"


def fold(label: str) -> str:
    """'Pants on Fire!' -> 'pantsonfire': what two spellings of one label have in common."""
    return re.sub(r"[\W_]+", "", label.casefold())


@dataclass
class RatingMatcher:
    """Resolves labels to rating keys and counts what it could and could not map."""

    site: Mapping[str, str]  # key -> label, from site.yaml
    extra: Mapping[str, str] = field(default_factory=dict)  # label -> key, from --ratings MAP.yaml
    mapped: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._folded = {fold(key): key for key in self.site} | {fold(label): key for key, label in self.site.items()}
        self._folded |= {fold(label): key for label, key in self.extra.items()}

    def key(self, label: str) -> str:
        """The site's rating key for `label`, or '' when it has none (counted as unmapped)."""
        key = self._folded.get(fold(label), "")
        (self.mapped if key else self.unmapped)[label] += 1
        return key

    def lookup(self, label: str) -> str:
        """The key for `label` without counting it (after `additions`, new labels resolve too)."""
        return self._folded.get(fold(label), "")

    def additions(self) -> list[dict[str, str]]:
        """New ratings for site.yaml's `ratings.other`, one per unmapped label, keys unique (for --add-ratings)."""
        taken = set(self.site)
        out: list[dict[str, str]] = []
        for label in sorted(self.unmapped, key=fold):
            if fold(label) in self._folded:  # another spelling of a label added just before
                continue
            base = slug_id(label, "rating")
            key, n = base, 2
            while key in taken:
                key, n = f"{base}-{n}", n + 1
            taken.add(key)
            self._folded[fold(label)] = key
            out.append({"key": key, "label": label, "definition": PLACEHOLDER, "color": PLACEHOLDER_COLOR})
        return out


def map_problems(entries: Iterable[tuple[object, object]], site_keys: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """A --ratings map (label -> key) and what is wrong with it: non-text entries, keys the site lacks."""
    keys = set(site_keys)
    out: dict[str, str] = {}
    problems: list[str] = []
    for label, key in entries:
        if not isinstance(label, str | int | float) or not isinstance(key, str):
            problems.append(f"'{label}': map each label to a rating key (text)")
        elif key not in keys:
            problems.append(f"'{label}' maps to '{key}', which is not a rating of site.yaml ({', '.join(sorted(keys))})")
        else:
            out[str(label)] = key
    return out, problems
