"""The import command's face: options in, a progress line on a terminal, the summary out."""

from __future__ import annotations

import argparse
import sys

from generator.importer.csvmap import read_csv
from generator.importer.run import ImportOptions, Progress, as_text, import_reviews, read_claimreview

READING = "Reading {done}/{total} files"
CHECKING = "Checking {done}/{total} reports"


def _progress(line: str) -> Progress:
    """A progress line on a terminal, `line` filled in with {done} and {total}."""

    def told(done: int, total: int) -> None:
        if sys.stderr.isatty():  # a progress line only where someone watches; logs stay clean
            end = "\n" if done == total else ""
            print("\r" + line.format(done=done, total=total), end=end, file=sys.stderr, flush=True)

    return told


def run_import(args: argparse.Namespace) -> int:
    """Run `factcheck import claimreview|csv` from parsed arguments; the exit status."""
    options = ImportOptions(args.ratings, args.add_ratings, args.add_people, args.published, args.dry_run)
    if args.kind == "claimreview":
        reviews, problems = read_claimreview(args.inputs, _progress(READING))
        summary = import_reviews(args.root, reviews, problems, options, progress=_progress(CHECKING))
    else:
        read = read_csv(args.inputs, args.map, _progress(READING))
        summary = import_reviews(args.root, read.reviews, read.problems, options, read.unsaved, read.source, _progress(CHECKING))
    if args.format == "json":
        print(summary.as_json())
    else:
        print(as_text(summary), file=sys.stderr if summary.errors else sys.stdout)
    return 1 if summary.errors else 0
