"""Convert the LIAR corpus (12,836 PolitiFact statements) into a factcheck content tree, for scale tests.

    python tools/liar_to_content.py /tmp/liar
    factcheck --root /tmp/liar build --out /tmp/liar-site

One report per statement, with the statement as the article snapshot so its quote anchors, the
PolitiFact six-step scale, speakers as claimants, subjects as topics and the statement's venue
("a floor speech", "an interview on CNN") as the outlet. LIAR has no dates or URLs: dates are
spread over 2007-2016 in statement-id order and URLs point at liar.example.org. LIAR-PLUS
justifications, where present, become the analysis. The data is for research use only: never
commit the output or publish it as real fact-checks.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
FIRST_DAY = dt.date(2007, 1, 1)
SPAN_DAYS = 3650
MAX_ID = 13_531
CLAIM_MAX = 110
# The validator refuses invisible control characters; LIAR has U+0090, U+FEFF and bidi marks.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\ufeff]")

SCALE = [
    ("true", "True", "The statement is accurate and there's nothing significant missing.", 6, "#1a7f37"),
    ("mostly-true", "Mostly true", "The statement is accurate but needs clarification or additional information.", 5, "#4a7a12"),
    ("half-true", "Half true", "The statement is partially accurate but leaves out important details or takes things out of context.", 4, "#8a6100"),
    (
        "barely-true",
        "Barely true",
        "The statement contains an element of truth but ignores critical facts that would give a different impression.",
        3,
        "#b3470c",
    ),
    ("false", "False", "The statement is not accurate.", 2, "#c0202c"),
    ("pants-fire", "Pants on fire", "The statement is not accurate and makes a ridiculous claim.", 1, "#7a1020"),
]
LABELS = {key: label for key, label, *_ in SCALE}
SOURCE = {
    "id": "liar-dataset",
    "title": "“Liar, Liar Pants on Fire”: A New Benchmark Dataset for Fake News Detection",
    "publisher": "Association for Computational Linguistics (ACL 2017)",
    "author": "William Yang Wang",
    "url": "https://aclanthology.org/P17-2067/",
    "kind": "secondary",
}


@dataclass(frozen=True)
class Statement:
    """One LIAR row, cleaned."""

    id: int
    split: str
    label: str
    text: str
    subjects: tuple[str, ...]
    speaker: str
    job: str
    party: str
    context: str


def clean(text: str) -> str:
    """Text without invisible characters and with single spaces."""
    return " ".join(_INVISIBLE.sub(" ", text).split())


def read_liar(folder: Path) -> Iterator[Statement]:
    """Every statement of train, valid and test, in file order."""
    for split in ("train", "valid", "test"):
        with (folder / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield Statement(
                    id=int(row[0].removesuffix(".json")),
                    split=split,
                    label=row[1],
                    text=clean(row[2]),
                    subjects=tuple(s for s in (clean(x) for x in row[3].split(",")) if s),
                    speaker=clean(row[4]),
                    job=clean(row[5]),
                    party=clean(row[7]),
                    context=clean(row[13]),
                )


def read_justifications(folder: Path) -> dict[int, str]:
    """LIAR-PLUS justification per statement id (valid and test splits only)."""
    found: dict[int, str] = {}
    for name in ("val2.tsv", "test2.tsv"):
        path = folder / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if len(row) >= 16 and row[1].endswith(".json") and clean(row[15]):
                    found[int(row[1].removesuffix(".json"))] = clean(row[15])
    return found


def name_of(slug: str) -> str:
    """'barack-obama' -> 'Barack Obama'."""
    return " ".join(part[:1].upper() + part[1:] for part in slug.split("-") if part) or "Unknown speaker"


def shorten(text: str, limit: int = CLAIM_MAX) -> str:
    """At most `limit` characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def day_of(statement_id: int) -> dt.date:
    """A made-up but stable date: statement ids spread over ten years, in order."""
    return FIRST_DAY + dt.timedelta(days=statement_id * SPAN_DAYS // MAX_ID)


def report(s: Statement, justification: str) -> dict[str, object]:
    """The report for one statement."""
    speaker = name_of(s.speaker)
    venue = s.context[:1].upper() + s.context[1:] if s.context else "Unknown venue"
    day = day_of(s.id)
    label = LABELS[s.label]
    claimant: dict[str, str] = {"name": speaker, "type": "organization" if s.party == "organization" else "person"}
    if s.job:
        claimant["job_title"] = s.job
    analysis = justification or f"This statement is row {s.id} of the LIAR dataset's {s.split} split, which records PolitiFact's rating but not its reasoning."
    return {
        "id": f"liar-{s.id}",
        "title": shorten(f"{speaker}, {s.context}" if s.context else f"{speaker}: statement {s.id}", 150),
        "summary": f"PolitiFact rated this statement by {speaker} {label}. LIAR statement {s.id} ({s.split} split): research test data, not a real fact-check.",
        "status": "published",
        "published": day,
        "authors": ["liar-desk"],
        "topics": [name_of(subject).capitalize() for subject in dict.fromkeys(s.subjects)],
        "article": {
            "headline": shorten(f"Statement by {speaker}", 150),
            "publisher": shorten(venue, 100),
            "url": f"https://liar.example.org/statements/{s.id}",
            "retrieved": day,
            "snapshot": f"seeds/liar/{s.id}.txt",
        },
        "claims": [
            {
                "id": "statement",
                "quote": {"exact": s.text},
                "claim_reviewed": shorten(s.text),
                "claimant": claimant,
                "verdict": {"rating": s.label, "explanation": f"PolitiFact rated this statement {label}."},
                "analysis": f"{analysis} [@liar-dataset]",
                "sources": ["liar-dataset"],
            }
        ],
        "sources": [SOURCE],
    }


def site_yaml() -> dict[str, object]:
    """site.yaml with the PolitiFact six-step scale."""
    return {
        "title": "LIAR corpus (test build)",
        "description": "12,836 PolitiFact statements from the LIAR research dataset, built to test the generator at scale. Not real fact-checks.",
        "language": "en",
        "base_url": "https://liar.example.org/",
        "organization": {"name": "LIAR test build", "url": "https://liar.example.org/"},
        "reviewers_required": 0,
        "page_size": 50,
        "ratings": {"scale": [{"key": k, "label": lab, "definition": d, "value": v, "color": c} for k, lab, d, v, c in SCALE]},
    }


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: object) -> bool:
        return True  # write a repeated date twice, not as &id001 / *id001


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")


def convert(out: Path, liar: Path, liar_plus: Path, limit: int = 0) -> int:
    """Write the content tree under `out` (replacing it); returns the number of reports."""
    if out.resolve() == REPO or REPO in out.resolve().parents:
        raise SystemExit(f"refusing to write {out}: the output must stay outside the repository (the data is not to be committed)")
    for sub in ("content", "seeds", "themes"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "content" / "reports").mkdir(parents=True)
    (out / "seeds" / "liar").mkdir(parents=True)
    shutil.copytree(REPO / "themes" / "default", out / "themes" / "default")
    _dump(out / "content" / "site.yaml", site_yaml())
    _dump(out / "content" / "people.yaml", [{"id": "liar-desk", "name": "LIAR test desk", "role": "Converted from the LIAR dataset"}])
    justifications = read_justifications(liar_plus)
    count = 0
    for statement in read_liar(liar):
        if limit and count >= limit:
            break
        (out / "seeds" / "liar" / f"{statement.id}.txt").write_text(statement.text + "\n", encoding="utf-8")
        _dump(out / "content" / "reports" / f"liar-{statement.id}.yaml", report(statement, justifications.get(statement.id, "")))
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="project folder to create (outside this repository)")
    parser.add_argument("--liar", type=Path, default=CORPORA / "liar", help="folder with train/valid/test.tsv")
    parser.add_argument("--liar-plus", type=Path, default=CORPORA / "liar-plus", help="folder with val2/test2.tsv (optional)")
    parser.add_argument("--limit", type=int, default=0, help="convert only the first N statements")
    args = parser.parse_args(argv)
    count = convert(args.out, args.liar, args.liar_plus, args.limit)
    print(f"Wrote {count} reports to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
