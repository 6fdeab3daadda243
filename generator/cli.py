"""Command line: parse arguments, call the pipeline, print results. No pipeline logic here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions, build, check
from generator.diagnostics import BuildFailed, Diagnostic, format_github, format_json, format_text, summary_line

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
  factcheck check --since origin/main   also refuse verdict changes without a correction
  factcheck new report article.txt --url https://... --publisher "Daily Planet"
  factcheck build                  build site/ from content/
  factcheck build --drafts --out /tmp/preview
  factcheck build --base-url https://example.org/factchecks/
  factcheck serve --drafts         preview at http://127.0.0.1:8000/, reloading on save
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
    p_check.add_argument("--since", metavar="GIT_REF", default=None, help="fail if a published verdict changed since this git revision without a correction")
    _add_editor_commands(sub)
    _add_serve_command(sub)
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
    warnings = f"{result.warnings} warning{'s' if result.warnings != 1 else ''}"
    print(f"Built {result.written} files ({reports} reports, {claims} claims) into {out} with {warnings} in {result.seconds:.2f}s.")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    try:
        _site, diagnostics = check(args.root, BuildOptions(drafts=True))
    except BuildFailed as failed:
        diagnostics = list(failed.diagnostics)
    if args.since is not None:
        from generator.editors.history import check_since

        diagnostics += check_since(args.root, args.since)
    _print_diagnostics(diagnostics, args.format)
    warned = sum(d.is_warning for d in diagnostics)
    failed_now = any(d.is_error for d in diagnostics) or (args.strict and bool(warned))
    if args.format == "text":
        if failed_now:
            print(f"Check failed: {summary_line(diagnostics)}.", file=sys.stderr)
        else:
            # Notes are advice, not problems: they are printed above but do not change the verdict.
            print(f"Check passed with {warned} warning{'s' if warned != 1 else ''}." if warned else "Check passed: no problems found.")
    return 1 if failed_now else 0


def _add_editor_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p_new = sub.add_parser("new", help="scaffold a new report or page", description="Write a new entry to fill in; never overwrites a file.")
    kinds = p_new.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    p_report = kinds.add_parser("report", help="a report on the article in SNAPSHOT (a UTF-8 text file)")
    p_report.add_argument("snapshot", type=Path, help="the article's text; copied into seeds/ if it is elsewhere")
    p_report.add_argument("--url", default="", help="where the article was published")
    p_report.add_argument("--publisher", default="", help="the outlet that published it")
    p_report.add_argument("--slug", default="", help="the report's id and file name (default: from publisher and headline)")
    p_report.add_argument("--headline", default="", help="the article's headline (default: the snapshot's first line)")
    p_page = kinds.add_parser("page", help="a plain page, content/pages/NAME.md")
    p_page.add_argument("name", help="file name and URL slug, e.g. corrections-policy")
    p_page.add_argument("--title", default="", help="page title (default: from the name)")
    p_schema = sub.add_parser("schema", help="print JSON Schema for editors' tools", description="Print or write the JSON Schema of content files.")
    p_schema.add_argument("name", nargs="?", choices=["report", "site", "people", "page"], help="which schema (default: all, keyed by name)")
    p_schema.add_argument("--write", action="store_true", help="write schema/<name>.schema.json in the project instead of printing")


def _cmd_new(args: argparse.Namespace) -> int:
    from generator.editors.scaffold import ScaffoldError, new_page, new_report

    try:
        if args.kind == "report":
            done = new_report(args.root, args.snapshot, url=args.url, publisher=args.publisher, slug=args.slug, headline=args.headline)
        else:
            done = new_page(args.root, args.name, title=args.title)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for note in done.notes:
        print(note)
    stubs = f" with {done.stubs} claim stub{'s' if done.stubs != 1 else ''} to choose from" if args.kind == "report" else ""
    print(f"Wrote {done.path}{stubs}. Fill in the TODOs, then run: factcheck check")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from generator.editors.jsonschema import render_all, render_schema, write_schemas

    if not args.write:
        sys.stdout.write(render_schema(args.name) if args.name else render_all())
        return 0
    for rel, changed in write_schemas(args.root, [args.name] if args.name else None):
        print(f"Wrote {rel}." if changed else f"{rel} is up to date.")
    return 0


def _add_serve_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p_serve = sub.add_parser("serve", help="preview the site, rebuilding on every save", description="Build in memory, serve, reload on save.")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; the next free one if busy)")
    p_serve.add_argument("--drafts", action="store_true", help="include draft and in-review reports")
    p_serve.add_argument("--poll", action="store_true", help="poll for changes (network mounts, containers) instead of OS events")
    p_serve.add_argument("--open", action="store_true", help="open the preview in a browser")


def _cmd_serve(args: argparse.Namespace) -> int:
    from generator.preview.server import serve

    return serve(args.root, args.host, args.port, args.drafts, args.poll, args.open, log=lambda line: print(line, flush=True))


COMMANDS = {"build": _cmd_build, "check": _cmd_check}
COMMANDS.update({"serve": _cmd_serve})
COMMANDS.update({"new": _cmd_new, "schema": _cmd_schema})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `factcheck` command."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
