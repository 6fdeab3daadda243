"""The import command's face: options in, a progress line on a terminal, the summary out."""

from __future__ import annotations

import argparse
import sys

from generator.importer.csvmap import read_csv
from generator.importer.run import ImportOptions, as_text, import_reviews, read_claimreview


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():  # a progress line only where someone watches; logs stay clean
        end = "\n" if done == total else ""
        print(f"\rReading {done}/{total} files", end=end, file=sys.stderr, flush=True)


def run_import(args: argparse.Namespace) -> int:
    """Run `factcheck import claimreview|csv` from parsed arguments; the exit status."""
    options = ImportOptions(args.ratings, args.add_ratings, args.add_people, args.published, args.dry_run)
    if args.kind == "claimreview":
        reviews, problems = read_claimreview(args.inputs, _progress)
        summary = import_reviews(args.root, reviews, problems, options)
    else:
        read = read_csv(args.inputs, args.map, _progress)
        summary = import_reviews(args.root, read.reviews, read.problems, options, read.unsaved, read.source)
    if args.format == "json":
        print(summary.as_json())
    else:
        print(as_text(summary), file=sys.stderr if summary.errors else sys.stdout)
    return 1 if summary.errors else 0
