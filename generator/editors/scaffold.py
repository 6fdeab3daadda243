"""Scaffolding: `factcheck new report|page` writes a new entry for an editor to fill in.

A new report gets the article's metadata and, as commented-out claim stubs, the sentences of
the snapshot worth checking, each with a quote that anchors as it stands. Nothing is ever
overwritten and nothing is written outside the project.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.content import schema as s
from generator.content.files import MAX_SNAPSHOT_BYTES, read_outside_file, write_refusal
from generator.content.load import PAGES_DIR, PEOPLE_FILE, REPORTS_DIR, SEEDS, SITE_FILE, load_yaml_file, unprintable
from generator.content.names import MAX_ID_LENGTH, WINDOWS_RESERVED, http_url_problem, slug_problem
from generator.content.schema import RESERVED_TOP
from generator.content.validate import get_obj, get_objs, get_text, slugify, validate_doc
from generator.diagnostics import Diagnostic, printable
from generator.editors.jsonschema import schema_path, write_schemas
from generator.editors.stubs import CONTROL, ArticleFacts, Stub, article_facts, checkworthy, claim_id, id_words

# Snapshot paths written into a new report: plain folder and file names only.
_SEED_NAME = re.compile(r"[A-Za-z0-9._/-]+")


class ScaffoldError(Exception):
    """A reason not to write anything, worded for the editor."""


@dataclass(frozen=True)
class ReportPlan:
    """Everything a new report's text is made from."""

    slug: str
    headline: str
    publisher: str
    url: str
    snapshot: str  # path under seeds/
    today: dt.date
    stubs: tuple[Stub, ...] = ()
    ratings: tuple[str, ...] = ()  # rating keys, listed in the stubs' comments
    people: tuple[str, ...] = ()
    headline_guessed: bool = False
    facts: ArticleFacts = field(default_factory=ArticleFacts)  # the byline's names and the dateline's day, read from the snapshot's top


@dataclass
class Scaffolded:
    """What `new` wrote: the file (relative to the root) and notes for the editor."""

    path: str
    notes: list[str] = field(default_factory=list)
    stubs: int = 0


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string: plain when safe, else double-quoted."""
    try:
        plain_ok = "\n" not in text and yaml.safe_load(text) == text and not CONTROL.search(text)
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok:
        return text
    # JSON strings are YAML double-quoted scalars; PyYAML reads U+2028/9 as line breaks, so escape them.
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _site_facts(root: Path) -> tuple[list[str], list[str]]:
    """Rating keys and people ids, to list in the stubs' comments (empty when unreadable)."""
    diags: list[Diagnostic] = []
    site = validate_doc(load_yaml_file(root, SITE_FILE, diags), s.SITE, diags).value
    ratings: list[str] = []
    if isinstance(site, dict):
        scale = get_obj(site, "ratings")
        ratings = [get_text(r, "key") for r in get_objs(scale, "scale") + get_objs(scale, "other")]
    people: list[str] = []
    if (root / PEOPLE_FILE).is_file():
        value = validate_doc(load_yaml_file(root, PEOPLE_FILE, diags), s.PEOPLE, diags).value
        if isinstance(value, list):
            people = [get_text(p, "id") for p in value if isinstance(p, dict)]
    return [r for r in ratings if r], [p for p in people if p]


def read_snapshot(path: Path) -> tuple[bytes, str]:
    """The snapshot's bytes and text; ScaffoldError if it is missing, binary or not UTF-8."""
    try:
        data = read_outside_file(path, MAX_SNAPSHOT_BYTES)  # a FIFO, /dev/zero or a folder is refused, never read
    except FileNotFoundError:
        raise ScaffoldError(f"{path}: no such file") from None
    except OSError as exc:
        raise ScaffoldError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise ScaffoldError(
            f"{path} is not article text: it holds NUL bytes (a binary file such as a PDF or an image, or UTF-16 text). "
            "Copy the article's text into a plain .txt file saved as UTF-8, and pass that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScaffoldError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). "
            "Save it as UTF-8 (in most editors: Save with Encoding > UTF-8) and try again."
        ) from None
    if not text.strip():
        raise ScaffoldError(f"{path} is empty: put the article's text in it first")
    refused: list[Diagnostic] = []
    if unprintable(str(path), text, refused):  # as `check` reads a snapshot: refused now, not copied into the report
        first = refused[0]
        raise ScaffoldError(printable(f"{path}:{first.line}:{first.col}: {first.message}; {first.hint}, then try again."))
    return data, text


def _project_root(root: Path) -> Path:
    if not (root / SITE_FILE).is_file():
        raise ScaffoldError(f"no {SITE_FILE} under {root}: run this in the project folder, or pass --root")
    return root.resolve()


def _place_snapshot(root: Path, source: Path, data: bytes, notes: list[str]) -> str:
    """The snapshot's path under seeds/, copying it there first if it lives elsewhere."""
    seeds = root / SEEDS
    resolved = source.resolve()
    if resolved.is_relative_to(seeds.resolve()):
        rel = f"{SEEDS}/{resolved.relative_to(seeds.resolve()).as_posix()}"
    else:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", source.name).strip("-.") or "article.txt"
        rel = f"{SEEDS}/{name}"
        target = root / rel
        if target.exists():
            try:
                same = read_outside_file(target, MAX_SNAPSHOT_BYTES) == data
            except OSError:
                same = False
            if not same:
                raise ScaffoldError(f"{rel} already exists and holds a different text; rename {source.name} and try again")
            notes.append(f"{rel} already holds this text; using it.")
        else:
            _refuse_links(root, rel)
            seeds.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:
                out.write(data)
            notes.append(f"Copied {source} to {rel} (quotes anchor to this copy; commit it with the report).")
    if any(part.startswith(".") for part in rel.split("/")[1:]):
        raise ScaffoldError(f"{rel}: hidden files in {SEEDS}/ are ignored; rename it")
    if not _SEED_NAME.fullmatch(rel):
        # A newline or a quote in the name would end up in the report's YAML: only plain names.
        raise ScaffoldError(f"{json.dumps(rel)}: rename the snapshot to a plain name (letters, digits, '.', '_', '-'), e.g. {SEEDS}/article.txt")
    return rel


def _shown(text: str, limit: int = 60) -> str:
    # Quoted as typed, shortened; a newline or control character is shown escaped, never printed raw.
    short = text if len(text) <= limit else text[: limit - 3] + "..."
    return f"'{short}'" if short.isprintable() else json.dumps(short)


def _guess_headline(text: str, publisher: str) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        # Snapshots often open with the outlet's name above the headline.
        if line and line.casefold().removeprefix("the ") != publisher.casefold().removeprefix("the "):  # "The Daily Planet" is "Daily Planet"
            return line
    return ""


def _report_slug(slug: str, publisher: str, headline: str, source: Path) -> str:
    if slug:
        problem = slug_problem(slug)
        if problem:
            suggestion = slugify(slug)[:MAX_ID_LENGTH].strip("-") or "new-report"
            suggestion += "-report" if suggestion in WINDOWS_RESERVED else ""
            raise ScaffoldError(f"{_shown(slug)} {problem}; try '{suggestion}'")
        return slug
    return id_words(f"{publisher} {headline}", 12, 50) or id_words(source.stem, 12, 50) or "new-report"


def _refuse_links(root: Path, rel: str) -> None:
    """Raise ScaffoldError if writing `rel` would go through a symbolic link (files.write_refusal)."""
    refused = write_refusal(root, rel)
    if refused:
        raise ScaffoldError(refused)


def _write_new(root: Path, rel: str, text: str) -> None:
    target = root / rel
    _refuse_links(root, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{rel} already exists; nothing was written") from None


def _ensure_schema(root: Path, name: str, notes: list[str]) -> None:
    refused = write_refusal(root, schema_path(name))
    if refused:  # the schema only helps editors' autocompletion: the new file stands without it
        notes.append(f"Did not write {schema_path(name)}: {refused}.")
        return
    if not (root / schema_path(name)).is_file():
        write_schemas(root, [name])
        notes.append(f"Wrote {schema_path(name)} for editor autocompletion.")


def _stub_lines(stub: Stub, claim_id: str, ratings: tuple[str, ...]) -> list[str]:
    rating_hint = f"one of {', '.join(ratings)}" if ratings else "a rating key from content/site.yaml"
    body = [
        f"- id: {claim_id}",
        "  quote:",
        f"    exact: {json.dumps(stub.exact, ensure_ascii=False)}",
        *([f"    prefix: {json.dumps(stub.prefix, ensure_ascii=False)}"] if stub.prefix else []),
        *([f"    suffix: {json.dumps(stub.suffix, ensure_ascii=False)}"] if stub.suffix else []),
        "  claim_reviewed:  # TODO: the claim restated neutrally, in 75 characters or fewer",
        "  verdict:",
        f"    rating:  # TODO: {rating_hint}",
        "    explanation:  # TODO: one or two sentences, the verdict in plain words",
        "  analysis:  # TODO: write 'analysis: |' and the markdown indented below; cite sources as [@source-id]",
        "  sources:  # TODO: ids of the sources below, e.g. [census-2020]",
    ]
    return [f"  # From line {stub.line} ({', '.join(stub.reasons)}):", *(f"  # {line}" for line in body), "  #"]


def render_report(plan: ReportPlan) -> str:
    """The text of a new report: metadata filled in, claims and sources as commented stubs."""
    today, people, headline = plan.today.isoformat(), plan.people, plan.headline
    known = f" (known: {', '.join(people)})" if people else ""
    lines = [
        "# yaml-language-server: $schema=../../" + schema_path("report"),
        "#",
        f"# A new fact-check, scaffolded on {today} from {yaml_scalar(plan.snapshot)}.",
        "# Fill in every TODO, keep the claims worth checking, run `factcheck check`. Guide: `factcheck docs editors`",
        f"id: {plan.slug}",
        'title:  # TODO: the report\'s headline, e.g. "Fact-check: <outlet> on <subject>"',
        "summary:  # TODO: three or four sentences: what a reader should take away",
        "status: draft  # draft -> in-review -> published (publishing needs a reviewer who is not an author)",
        f"published: {today}  # the day the report goes out: update it when you publish",
        f"authors:  # TODO: people ids from {PEOPLE_FILE}, as a list, e.g. [{people[0] if people else 'your-id'}]{known}",
        "# reviewers: []  # people ids of the reviewers, other than the authors",
        "# topics: []",
        "article:",
        f"  headline: {yaml_scalar(headline)}" + ("  # guessed from the snapshot: check it" if plan.headline_guessed else "")
        if headline
        else "  headline:  # TODO: the article's headline",
        f"  publisher: {yaml_scalar(plan.publisher)}" if plan.publisher else "  publisher:  # TODO: the outlet that published it",
        f"  url: {yaml_scalar(plan.url)}" if plan.url else "  url:  # TODO: where the article was published, https://...",
        *([f"  authors: [{', '.join(yaml_scalar(name) for name in plan.facts.authors)}]  # from the byline: check it"] if plan.facts.authors else []),
        f"  published: {plan.facts.published.isoformat()}  # from the dateline: check it"
        if plan.facts.published
        else "  # published: YYYY-MM-DD  # the article's publication date, if shown",
        f"  retrieved: {today}  # when the snapshot was taken",
        f"  snapshot: {yaml_scalar(plan.snapshot)}",
        "claims:",
    ]
    stubs = plan.stubs
    if stubs:
        lines += [
            f"  # {len(stubs)} sentence{'s' if len(stubs) != 1 else ''} of the article carry numbers, dates, attributions, quotations or names.",
            "  # Keep those worth checking: uncomment them (VS Code: select, then Ctrl+/; Neovim: gc), fill in the",
            "  # TODOs, and delete the rest. Each quote is copied from the snapshot, so it anchors as it stands.",
            "  #",
        ]
        taken: set[str] = set()
        for stub in stubs:
            lines += _stub_lines(stub, claim_id(stub.exact, taken), plan.ratings)
    else:
        lines.append("  # No check-worthy sentence found: add claims by hand (see `factcheck docs editors`).")
    lines += [
        "sources:",
        "  # Every source a claim relies on, cited in its analysis as [@id]. Uncomment, copy, fill in:",
        "  # - id:  # TODO: a short id, e.g. census-2020",
        "  #   title:  # TODO: title of the document, article or dataset",
        "  #   publisher:  # TODO: who published it",
        "  #   url:  # TODO: https://...",
        "  #   kind:  # TODO: primary (the record itself) or secondary (reporting on it)",
        "# corrections: []  # once published, every change of a verdict is logged here (`factcheck docs editors`)",
    ]
    return "\n".join(lines) + "\n"


def new_report(
    root: Path, snapshot: Path, *, url: str = "", publisher: str = "", slug: str = "", headline: str = "", today: dt.date | None = None
) -> Scaffolded:
    """Write content/reports/<slug>.yaml for the article in `snapshot`; never overwrite anything."""
    root = _project_root(root)
    if url and http_url_problem(url):
        raise ScaffoldError(f"--url {_shown(url)} {http_url_problem(url)}; give the article's https:// address")
    today = today or dt.date.today()
    data, text = read_snapshot(snapshot)
    given = " ".join(headline.split())
    headline = given or _guess_headline(text, publisher)
    asked = slug
    slug = _report_slug(slug, publisher, headline, snapshot)
    rel = f"{REPORTS_DIR}/{slug}.yaml"
    if (root / rel).exists():
        raise ScaffoldError(f"{rel} already exists; {'choose another --slug' if asked else 'pass --slug to choose another id'}")
    _refuse_links(root, rel)  # before the snapshot is copied: nothing is written then
    notes: list[str] = []
    snapshot_rel = _place_snapshot(root, snapshot, data, notes)
    stubs = tuple(checkworthy(text, publisher))
    ratings, people = _site_facts(root)
    facts = article_facts(text)
    plan = ReportPlan(slug, headline, publisher, url, snapshot_rel, today, stubs, tuple(ratings), tuple(people), not given, facts)
    _write_new(root, rel, render_report(plan))
    _ensure_schema(root, "report", notes)
    return Scaffolded(rel, notes, len(stubs))


def _next_menu(root: Path) -> int:
    folder = root / PAGES_DIR
    numbers = [int(m) for p in folder.glob("*.md") for m in re.findall(r"(?m)^menu:\s*(\d+)\s*$", p.read_text("utf-8", "replace"))] if folder.is_dir() else []
    return max(numbers, default=0) + 1


def new_page(root: Path, name: str, *, title: str = "") -> Scaffolded:
    """Write content/pages/<name>.md with front matter to fill in; never overwrite anything."""
    root = _project_root(root)
    problem = slug_problem(name)
    if problem:
        suggestion = slugify(name)[:MAX_ID_LENGTH].strip("-") or "about"
        suggestion += "-page" if suggestion in WINDOWS_RESERVED else ""
        raise ScaffoldError(f"{_shown(name)} {problem.replace('valid id', 'valid page name')}; try '{suggestion}'")
    if name in RESERVED_TOP:
        raise ScaffoldError(f"'{name}' is taken by the site's own {name}/ section; choose another name")
    rel = f"{PAGES_DIR}/{name}.md"
    if (root / rel).exists():
        raise ScaffoldError(f"{rel} already exists; nothing was written")
    title = " ".join(title.split()) or name.replace("-", " ").capitalize()
    body = "\n".join(
        [
            "---",
            "# yaml-language-server: $schema=../../" + schema_path("page"),
            f"title: {yaml_scalar(title)}",
            "# description: One sentence for search results and link previews.",
            f"# menu: {_next_menu(root)}  # position in the site navigation; leave it out to keep the page out of the menu",
            "---",
            "TODO: write the page here, in markdown. It is published with the next build.",
            "",
        ]
    )
    notes: list[str] = []
    _write_new(root, rel, body)
    _ensure_schema(root, "page", notes)
    return Scaffolded(rel, notes)
