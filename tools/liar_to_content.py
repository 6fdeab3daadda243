"""Make a factcheck project of the LIAR corpus (12,836 PolitiFact statements), for scale tests.

    python tools/liar_to_content.py /tmp/liar
    factcheck --root /tmp/liar build --out /tmp/liar-site

A thin wrapper: it writes a site with the PolitiFact six-step scale, then runs
`factcheck import csv` with the shipped map generator/importer/maps/liar.yaml. The data is
for research use only: never commit the output or publish it as real fact-checks.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout, like the benchmark does

from generator import cli  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
LIAR_MAP = REPO / "generator" / "importer" / "maps" / "liar.yaml"
SPLITS = ("train", "valid", "test")
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


def make_project(out: Path) -> None:
    """An empty project under `out` with the LIAR site, one person and the default theme (replacing any earlier one)."""
    if out.resolve() == REPO or REPO in out.resolve().parents:
        raise SystemExit(f"refusing to write {out}: the output must stay outside the repository (the data is not to be committed)")
    for sub in ("content", "seeds", "themes"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "content" / "reports").mkdir(parents=True)
    shutil.copytree(REPO / "themes" / "default", out / "themes" / "default")
    dump = {"sort_keys": False, "allow_unicode": True, "width": 10_000}
    (out / "content" / "site.yaml").write_text(yaml.safe_dump(site_yaml(), **dump), encoding="utf-8")  # type: ignore[call-overload]
    people = [{"id": "politifact", "name": "PolitiFact", "role": "Rated the statements (via the LIAR dataset)"}]
    (out / "content" / "people.yaml").write_text(yaml.safe_dump(people, **dump), encoding="utf-8")  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="project folder to create (outside this repository)")
    parser.add_argument("--liar", type=Path, default=CORPORA / "liar", help="folder with train/valid/test.tsv")
    args = parser.parse_args(argv)
    make_project(args.out)
    files = [str(args.liar / f"{split}.tsv") for split in SPLITS]
    return cli.main(["--root", str(args.out), "import", "csv", *files, "--map", str(LIAR_MAP), "--published"])


if __name__ == "__main__":
    sys.exit(main())
