"""Command line: parse arguments, call the pipeline, print results. No pipeline logic here."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from generator import __version__
from generator.build import BuildOptions, build, check_project
from generator.console import Console, Level, left_out, plural
from generator.content.load import find_root
from generator.content.names import base_url_problem
from generator.diagnostics import BuildFailed, Diagnostic, Severity, format_github, format_json, format_text, one_line, raised_at, summary_line
from generator.pipeline.check import CheckStats
from generator.preview.hosts import host_address, port_number

FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}

DESCRIPTION = """\
Build a static fact-check site from YAML reports.

Run it in a site's folder (or below it): content/site.yaml, content/reports/*.yaml,
seeds/ (article snapshots), optionally themes/. Every mistake in the content is
reported as path:line:col: message, all at once, and nothing is written until all
is well. `factcheck init DIR` starts a new site.
"""

COMPLETION_HELP = """\
Print a completion script for bash, zsh or fish. To install it:
  bash: factcheck completion bash > ~/.local/share/bash-completion/completions/factcheck
  zsh:  factcheck completion zsh > "${fpath[1]}/_factcheck"   (then restart zsh)
  fish: factcheck completion fish > ~/.config/fish/completions/factcheck.fish
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
  factcheck init mysite            start a new site
  factcheck docs start             the guide to starting your own site
"""


Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _common(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """--root, -q and -v, accepted before the command and after it (`factcheck build --root X`)."""
    # After the command the defaults are SUPPRESS, so an option given before it is not reset.
    unset = argparse.SUPPRESS if after_command else None
    parser.add_argument("--root", type=Path, default=unset, help="the site's folder (default: the nearest folder above holding content/site.yaml)")
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument("-q", "--quiet", action="store_true", default=unset or False, help="print only problems")
    volume.add_argument("-v", "--verbose", action="store_true", default=unset or False, help="also print counts, timings and where things are")
    parser.add_argument("--debug", action="store_true", default=unset or False, help="show the full traceback of an internal error")


def _command(sub: Subparsers, name: str, **kwargs: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)  # type: ignore[arg-type]
    _common(parser, after_command=True)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factcheck", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"factcheck {__version__}")
    _common(parser, after_command=False)
    # Not required: `factcheck` alone prints the help (main), rather than argparse's one-line complaint.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_build = _command(sub, "build", help="validate the content and write the site", description="Validate everything, then write the site atomically.")
    p_build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ in the project)")
    p_build.add_argument("--drafts", action="store_true", help="include draft and in-review reports, marked as unpublished")
    p_build.add_argument("--base-url", default=None, help="public address for canonical URLs, overriding site.yaml")
    p_build.add_argument("--strict", action="store_true", help="treat warnings as errors: write nothing if there is any")

    p_check = _command(sub, "check", help="validate the content, write nothing", description="Validate every file and report all problems.")
    p_check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (github: Actions annotations)")
    p_check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p_check.add_argument("--since", metavar="GIT_REF", default=None, help="fail if a published verdict changed since this git revision without a correction")
    _add_editor_commands(sub)
    _add_serve_command(sub)
    _add_start_commands(sub)
    _add_import_command(sub)
    return parser


def _print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    quiet = fmt == "text" and console.level < Level.NORMAL  # -q prints only problems: notes are advice
    diagnostics = [d for d in diagnostics if d.severity is not Severity.NOTE] if quiet else diagnostics
    if not diagnostics and fmt != "json":
        return  # json still prints its (empty) array: a tool reading it expects one
    text = FORMATTERS[fmt](diagnostics)
    if fmt == "text":
        console.problems(text)
    elif text:
        print(text)


def _strict_failure(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = sum(d.is_warning for d in diagnostics)
    return summary_line(diagnostics) if errors else f"{plural(warnings, 'warning')}, and --strict makes warnings errors"


def _build_failed(console: Console, diagnostics: Sequence[Diagnostic], strict: bool) -> int:
    _print_diagnostics(console, diagnostics)
    console.problems(f"Build failed: {_strict_failure(diagnostics) if strict else summary_line(diagnostics)}. Nothing was written.")
    return 1


def _cmd_build(args: argparse.Namespace, console: Console) -> int:
    root: Path = args.root
    out = args.out if args.out is not None else root / "site"
    problem = base_url_problem(args.base_url) if args.base_url is not None else ""
    if problem:
        # It lands in <base href>, canonical links and feeds: only an absolute http(s) address.
        print(f"error: --base-url {json.dumps(args.base_url)} {problem}; give an absolute address such as https://example.org/", file=sys.stderr)
        return 1
    options = BuildOptions(drafts=args.drafts, base_url=args.base_url)
    console.detail(f"Project: {root.resolve()}")
    console.status("Building")
    try:
        result = build(root, out, options, waiting=console.problems, strict=args.strict, progress=console.progress)
    except BuildFailed as failed:
        return _build_failed(console, failed.diagnostics, args.strict)
    _print_diagnostics(console, result.diagnostics)
    w = result.write
    _checked_line(console, result.check)
    console.detail(f"Pages: {w.rendered} rendered, {w.kept} kept unchanged, {w.removed} removed; {plural(w.files, 'file')} in all.")
    site = result.site
    counts = f"{plural(len(site.reports), 'report')}, {plural(len(site.claims), 'claim')}"
    console.detail(f"Content: {counts}, {plural(len(site.pages), 'page')}, {plural(len(site.people), 'person', 'people')}.")
    console.result(f"Built {plural(result.written, 'file')} ({counts}) into {out} with {plural(result.warnings, 'warning')} in {result.seconds:.2f}s.")
    console.result(left_out(result.check.unpublished, "factcheck build --drafts"))
    return 0


def _checked_line(console: Console, c: CheckStats) -> None:
    # The same line from `check -v` and `build -v`: one pipeline, so the two can be compared.
    console.detail(f"Checked {c.checked} of {plural(c.reports, 'report file')} anew ({c.reports - c.checked} unchanged, from the cache) in {c.seconds:.2f}s.")


def _cmd_check(args: argparse.Namespace, console: Console) -> int:
    console.detail(f"Project: {Path(args.root).resolve()}")
    console.status("Checking")
    stats: CheckStats | None = None
    try:
        checked = check_project(args.root, BuildOptions(drafts=True), console.progress)
        diagnostics, stats = checked.diagnostics, checked.stats
    except BuildFailed as failed:
        diagnostics = list(failed.diagnostics)
    if args.since is not None:
        from generator.editors.history import check_since

        diagnostics += check_since(args.root, args.since)
    console.clear_progress()
    _print_diagnostics(console, diagnostics, args.format)
    if stats is not None and args.format == "text":
        _checked_line(console, stats)
    warned = sum(d.is_warning for d in diagnostics)
    failed_now = any(d.is_error for d in diagnostics) or (args.strict and bool(warned))
    if args.format == "text":
        if failed_now:
            console.problems(f"Check failed: {_strict_failure(diagnostics) if args.strict else summary_line(diagnostics)}.")
        else:
            # Notes are advice, not problems: they are printed above but do not change the verdict.
            notes = len(diagnostics) - warned
            said = f" with {plural(warned, 'warning')}." if warned else f" with {plural(notes, 'note')} (advice only)." if notes else ": no problems found."
            console.result(f"Check passed{said}")
    return 1 if failed_now else 0


def _add_editor_commands(sub: Subparsers) -> None:
    p_new = _command(sub, "new", help="scaffold a new report or page", description="Write a new entry to fill in; never overwrites a file.")
    kinds = p_new.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    p_report = _command(kinds, "report", help="a report on the article in SNAPSHOT (a UTF-8 text file)")
    p_report.add_argument("snapshot", type=Path, help="the article's text; copied into seeds/ if it is elsewhere")
    p_report.add_argument("--url", default="", help="where the article was published")
    p_report.add_argument("--publisher", default="", help="the outlet that published it")
    p_report.add_argument("--slug", default="", help="the report's id and file name (default: from publisher and headline)")
    p_report.add_argument("--headline", default="", help="the article's headline (default: the snapshot's first line)")
    p_page = _command(kinds, "page", help="a plain page, content/pages/NAME.md")
    p_page.add_argument("name", help="file name and URL slug, e.g. corrections-policy")
    p_page.add_argument("--title", default="", help="page title (default: from the name)")
    p_schema = _command(sub, "schema", help="print JSON Schema for editors' tools", description="Print or write the JSON Schema of content files.")
    p_schema.add_argument("name", nargs="?", choices=["report", "site", "people", "page"], help="which schema (default: all, keyed by name)")
    p_schema.add_argument("--write", action="store_true", help="write schema/<name>.schema.json in the project instead of printing")


def _cmd_new(args: argparse.Namespace, console: Console) -> int:
    from generator.editors.scaffold import ScaffoldError, new_page, new_report

    try:
        if args.kind == "report":
            done = new_report(args.root, args.snapshot, url=args.url, publisher=args.publisher, slug=args.slug, headline=args.headline)
        else:
            done = new_page(args.root, args.name, title=args.title)
    except ScaffoldError as exc:
        console.error(str(exc))
        return 1
    for note in done.notes:
        console.result(note)
    stubs = f" with {plural(done.stubs, 'claim stub')} to choose from" if args.kind == "report" else ""
    console.result(f"Wrote {done.path}{stubs}. Fill in the TODOs, then run: factcheck check")
    return 0


def _cmd_schema(args: argparse.Namespace, console: Console) -> int:
    from generator.editors.jsonschema import SchemaWriteError, render_all, render_schema, write_schemas

    if not args.write:
        sys.stdout.write(render_schema(args.name) if args.name else render_all())
        return 0
    try:
        written = write_schemas(args.root, [args.name] if args.name else None)
    except SchemaWriteError as exc:
        console.error(str(exc))
        return 1
    for rel, changed in written:
        console.result(f"Wrote {rel}." if changed else f"{rel} is up to date.")
    return 0


def _add_serve_command(sub: Subparsers) -> None:
    p_serve = _command(sub, "serve", help="preview the site, rebuilding on every save", description="Build in memory, serve, reload on save.")
    p_serve.add_argument("--host", type=host_address, default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p_serve.add_argument("--port", type=port_number, default=8000, help="port (default: 8000; the next free one if busy)")
    p_serve.add_argument("--drafts", action="store_true", help="include draft and in-review reports")
    p_serve.add_argument("--poll", action="store_true", help="poll for changes (network mounts, containers) instead of OS events")
    p_serve.add_argument("--open", action="store_true", help="open the preview in a browser")


def _cmd_serve(args: argparse.Namespace, console: Console) -> int:
    from generator.preview.server import serve

    return serve(args.root, args.host, args.port, args.drafts, args.poll, args.open, log=lambda line: print(line, flush=True), debug=args.debug)


def _add_import_command(sub: Subparsers) -> None:
    p_import = _command(sub, "import", help="bring an existing archive in as reports", description="Write reports from ClaimReview or CSV; never overwrites.")
    kinds = p_import.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    p_cr = _command(kinds, "claimreview", help="ClaimReview DataFeeds, JSON-LD files, saved HTML pages (or folders of them)")
    p_cr.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    p_csv = _command(kinds, "csv", help="CSV/TSV rows, columns mapped by --map (data/claims.csv needs none)")
    p_csv.add_argument("inputs", nargs="+", type=Path, metavar="FILE")
    p_csv.add_argument("--map", type=Path, default=None, help="column map (YAML); see generator/importer/maps/")
    for p in (p_cr, p_csv):
        p.add_argument("--ratings", type=Path, default=None, help="YAML 'label: rating-key' lines for labels the scale does not have")
        p.add_argument("--add-ratings", action="store_true", help="add unmapped labels to ratings.other in site.yaml")
        p.add_argument("--add-people", action="store_true", help="add unknown authors to people.yaml")
        p.add_argument("--published", action="store_true", help="write status: published (default: draft)")
        p.add_argument("--dry-run", action="store_true", help="report what would be written, write nothing")
        p.add_argument("--format", choices=["text", "json"], default="text", help="summary format")


def _cmd_import(args: argparse.Namespace, console: Console) -> int:
    from generator.importer.cli import run_import

    return run_import(args)


def _add_start_commands(sub: Subparsers) -> None:
    p_init = _command(sub, "init", help="start a new site in a folder", description="Write a new site that checks, builds and previews at once.")
    p_init.add_argument("dir", nargs="?", type=Path, default=Path("."), help="the new site's folder (default: the current one); created if missing")
    p_init.add_argument("--title", default="", help="the site's title (default: a placeholder to replace)")
    p_init.add_argument("--language", default="en", help="the content's language tag, e.g. en, fr, pt-BR (default: en)")
    p_init.add_argument("--force", action="store_true", help="add the missing files to a non-empty folder (no sample if it has reports), keep the rest")
    p_init.add_argument("--requirement", default=None, help="what the site's workflows pip install (default: the git commit or address this came from)")
    p_docs = _command(sub, "docs", help="print a guide", description="Print one of the guides shipped with factcheck.")
    p_docs.add_argument("topic", nargs="?", default=None, help="which guide (default: list them)")
    p_completion = _command(sub, "completion", help="print a shell completion script", description=COMPLETION_HELP)
    p_completion.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell")


NEXT_STEPS = """\
  factcheck check     lists the placeholders (TODO:) to replace
  factcheck serve     preview at http://127.0.0.1:8000/
  factcheck docs start   the guide: from here to a published site"""


def _cmd_init(args: argparse.Namespace, console: Console) -> int:
    from generator.editors.init import InitError, init_site
    from generator.editors.origin import workflow_requirement

    origin = workflow_requirement(args.requirement)
    try:
        done = init_site(args.dir, title=args.title, language=args.language, force=args.force, requirement=origin.requirement)
    except InitError as exc:
        console.error(str(exc))
        return 1
    console.problems(f"warning: {origin.warning}" if origin.warning else "")
    console.result(f"Created a new site in {args.dir}: {plural(len(done.written), 'file')} written.")
    if done.kept:
        console.result(f"Kept {plural(len(done.kept), 'existing file')}: {', '.join(done.kept)}.")
    console.result("Next:\n" + ("" if args.dir == Path(".") else f"  cd {args.dir}\n") + NEXT_STEPS)
    return 0


def _cmd_docs(args: argparse.Namespace, console: Console) -> int:
    from generator.packaged import GUIDES, guide

    if args.topic is None:
        print("Guides (factcheck docs TOPIC):")
        for topic in GUIDES:
            text = guide(topic)
            title = text.splitlines()[0].lstrip("# ").strip() if text else "(not installed)"
            print(f"  {topic:<{max(map(len, GUIDES))}} {title}")
        return 0
    text = guide(args.topic)
    if text is None:
        console.error(f"no guide '{one_line(args.topic)}'; guides: {', '.join(GUIDES)}")
        return 1
    sys.stdout.write(text)
    return 0


def _cmd_completion(args: argparse.Namespace, console: Console) -> int:
    from generator.completion import script

    sys.stdout.write(script(_parser(), args.shell))
    return 0


Command = Callable[[argparse.Namespace, Console], int]
COMMANDS: dict[str, Command] = {"build": _cmd_build, "check": _cmd_check}
COMMANDS.update({"serve": _cmd_serve})
COMMANDS.update({"new": _cmd_new, "schema": _cmd_schema})
COMMANDS.update({"init": _cmd_init, "docs": _cmd_docs, "completion": _cmd_completion, "import": _cmd_import})
# These work on a site, found by --root or by walking up from the current folder.
ON_A_SITE = {"build", "check", "serve", "new", "schema", "import"}


def _site_root(given: Path | None, console: Console) -> Path | None:
    """--root if it is a folder; else the nearest folder above holding content/site.yaml; else here."""
    if given is not None:
        if not given.is_dir():
            console.error(f"--root {given}: {'not a folder' if given.exists() else 'no such folder'}")
            return None
        return given
    found = find_root(Path.cwd())
    return Path(os.path.relpath(found)) if found is not None else Path(".")


def run() -> None:
    """The installed command: `main`, then leave at once, without freeing the site model object by object."""
    code = main()
    # Tearing down a large site's model at exit took longer than a warm check itself (a second at
    # 4,000 reports); every file is closed by now, so only the output streams need flushing.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that closed the pipe early (`| head`)
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `factcheck` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    level = Level.QUIET if args.quiet else Level.VERBOSE if args.verbose else Level.NORMAL
    console = Console.for_streams(sys.stdout, sys.stderr, level, os.environ)
    if args.command in ON_A_SITE:
        args.root = _site_root(args.root, console)
        if args.root is None:
            return 2
    try:
        return COMMANDS[args.command](args, console)
    except BrokenPipeError:
        # The reader of our output left early (`factcheck check --format json | head`): not a bug, nothing more to say.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush does not fail again
        return 141
    except KeyboardInterrupt:
        console.clear_progress()
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line, the traceback only when asked for
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc} ({raised_at(exc)})", file=sys.stderr)
        print("This is a bug in factcheck, not in your content: please report it with the output of the same command run with --debug.", file=sys.stderr)
        return 70
