"""Command line: parse arguments, call the pipeline, print results. No pipeline logic here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import BuildOptions, build, check
from .diagnostics import BuildFailed, Diagnostic, format_github, format_json, format_text, summary_line

FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}

DESCRIPTION = """\
Build a static fact-check site from YAML reports.

Run it in a project folder holding content/site.yaml, content/reports/*.yaml,
seeds/ (article snapshots) and themes/. Every mistake in the content is reported
as path:line:col: message, all at once, and nothing is written until all is well.
"""

EPILOG = """\
examples:
  factcheck check                  validate everything, write nothing
  factcheck build                  build site/ from content/
  factcheck build --drafts --out /tmp/preview
  factcheck build --base-url https://example.org/factchecks/
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factcheck", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"factcheck {__version__}")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: the current folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p_build = sub.add_parser("build", help="validate the content and write the site", description="Validate everything, then write the site atomically.")
    p_build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ in the project)")
    p_build.add_argument("--drafts", action="store_true", help="include draft and in-review reports, marked as unpublished")
    p_build.add_argument("--base-url", default=None, help="public address for canonical URLs, overriding site.yaml")

    p_check = sub.add_parser("check", help="validate the content, write nothing", description="Validate every file and report all problems.")
    p_check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (github: Actions annotations)")
    p_check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def _print_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    if not diagnostics:
        return
    text = FORMATTERS[fmt](diagnostics)
    if text:
        print(text, file=sys.stderr if fmt == "text" else sys.stdout)


def _cmd_build(args: argparse.Namespace) -> int:
    root: Path = args.root
    out = args.out if args.out is not None else root / "site"
    try:
        result = build(root, out, BuildOptions(drafts=args.drafts, base_url=args.base_url))
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics)
        print(f"Build failed: {summary_line(failed.diagnostics)}. Nothing was written.", file=sys.stderr)
        return 1
    _print_diagnostics(result.diagnostics)
    reports = len(result.site.reports)
    claims = len(result.site.claims)
    print(f"Built {result.written} files ({reports} reports, {claims} claims) into {out} with {result.warnings} warnings in {result.seconds:.2f}s.")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    try:
        _site, diagnostics = check(args.root, BuildOptions(drafts=True))
    except BuildFailed as failed:
        diagnostics = list(failed.diagnostics)
    _print_diagnostics(diagnostics, args.format)
    failed_now = any(d.is_error for d in diagnostics) or (args.strict and bool(diagnostics))
    if args.format == "text":
        if failed_now:
            print(f"Check failed: {summary_line(diagnostics)}.", file=sys.stderr)
        else:
            print(f"Check passed with {len(diagnostics)} warnings." if diagnostics else "Check passed: no problems found.")
    return 1 if failed_now else 0


COMMANDS = {"build": _cmd_build, "check": _cmd_check}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `factcheck` command."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
