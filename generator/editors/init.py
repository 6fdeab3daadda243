"""`factcheck init`: write a new site that checks, builds and previews at once.

The skeleton ships inside the package (editors/skeleton/): site.yaml with a rating scale, people,
one sample report with its snapshot, three pages, the GitHub workflows, editor and pre-commit
settings. Its placeholder text is marked `TODO:`, which `check` lists until it is replaced.
Hidden files are stored as `dot-name` so packaging tools and this repository's own tooling
leave them alone; they are written as `.name`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import __version__
from generator.content import schema
from generator.content.files import write_refusal
from generator.content.i18n import language_problem, normalize_tag
from generator.content.load import SITE_FILE, parse_yaml, unprintable
from generator.content.validate import validate_doc
from generator.diagnostics import Diagnostic, printable
from generator.editors.jsonschema import SCHEMAS, render_schema, schema_path
from generator.editors.scaffold import yaml_scalar
from generator.editors.skeleton_texts import skeleton_texts

SKELETON = Path(__file__).resolve().parent / "skeleton"
DOT = "dot-"
REQUIREMENT = f"factcheck-ssg=={__version__}"
SAMPLE = ("content/reports/sample-libraries.yaml", "seeds/sample-article.txt")  # the sample report and its snapshot
# What the workflows may install instead (a pinned git URL, a wheel's address): no quote, `$`, backtick,
# backslash or line break, since it is written inside "..." in a shell line of a YAML file.
_REQUIREMENT_CHARS = re.compile(r"[A-Za-z0-9 _.,;:/@+=<>!~#%?&\[\]()-]+")


def writable_requirement(requirement: str) -> bool:
    """True for a requirement that can be written into the workflows' `pip install "..."` line as it is."""
    return bool(_REQUIREMENT_CHARS.fullmatch(requirement))


class InitError(Exception):
    """A reason not to write anything, worded for the user."""


@dataclass(frozen=True)
class Initialized:
    """What `init` wrote and which existing files it left alone (paths relative to the folder)."""

    written: tuple[str, ...]
    kept: tuple[str, ...]


def skeleton_files(title: str, language: str, requirement: str = REQUIREMENT) -> dict[str, str]:
    """The new site's files (relative path -> text), placeholders filled in."""
    values = {"title": yaml_scalar(title), "language": yaml_scalar(language), "requirement": requirement}
    values.update({f"text.{key}": yaml_scalar(text) for key, text in skeleton_texts(language).items()})
    files: dict[str, str] = {}
    for source in sorted(SKELETON.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = source.relative_to(SKELETON).parts
        rel = PurePosixPath(*(("." + p.removeprefix(DOT)) if p.startswith(DOT) else p for p in parts)).as_posix()
        text = source.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        files[rel] = text
    for name in SCHEMAS:
        files[schema_path(name)] = render_schema(name)
    return files


def site_yaml_problems(text: str) -> list[Diagnostic]:
    """The errors `check` would find in this content/site.yaml's fields (its parse and validation)."""
    diags: list[Diagnostic] = []
    validate_doc(parse_yaml(SITE_FILE, text, diags), schema.SITE, diags)
    return [d for d in diags if d.is_error]


def init_site(target: Path, *, title: str = "", language: str = "en", force: bool = False, requirement: str = REQUIREMENT) -> Initialized:
    """Write a new site into `target`; refuse a non-empty folder unless `force`, never overwrite a file.

    With `force`, a folder that has content/reports/ already gets no sample report.

    `requirement` is what the site's workflows `pip install` (this version from PyPI unless told otherwise).
    """
    requirement = requirement.strip()
    if not writable_requirement(requirement):
        hint = "e.g. factcheck-ssg==1.2.0 or 'factcheck-ssg @ git+https://github.com/ORG/REPO@v1.2.0'"
        raise InitError(f"--requirement: {requirement!r} is not a pip requirement the workflows can install ({hint}; no quotes, $ or backslashes)")
    try:  # a name too long, a folder that cannot be read
        exists, is_dir = target.exists(), target.is_dir()
        nonempty = is_dir and any(target.iterdir())
    except OSError as exc:
        raise InitError(f"cannot make a site in {target}: {exc.strerror or exc}") from None
    if exists and not is_dir:
        raise InitError(f"{target} is a file, not a folder")
    if nonempty and not force:
        raise InitError(f"{target} is not empty; choose a new folder, or pass --force to add the files that are missing (none is overwritten)")
    if not language.strip():
        raise InitError("--language is empty; give a BCP 47 tag such as en, es, fr, de, pt-BR or ar")
    language = normalize_tag(language.strip())
    if language_problem(language):  # the tag as typed: an escape code in it is written out, never sent to the terminal
        raise InitError(printable(f"--language: {language_problem(language)}; use a BCP 47 tag such as en, es, fr, de, pt-BR or ar"))
    title = " ".join(title.split()) or "TODO: your site's title"
    refused: list[Diagnostic] = []
    if unprintable("--title", title, refused, source=True):
        raise InitError(f"--title: {refused[0].message}; write the title as plain text")
    written: list[str] = []
    kept: list[str] = []
    # A site that has its reports folder already has no use for the sample (deleted once read, as the guide says).
    leave_out = SAMPLE if (target / "content" / "reports").is_dir() else ()
    files = {rel: text for rel, text in skeleton_files(title, language, requirement).items() if rel not in leave_out}
    # site.yaml as `check` will read it: a title it refuses (too long, a bidirectional override) is refused now.
    wrong = next((d for d in site_yaml_problems(files[SITE_FILE]) if d.field in ("title", "language")), None)
    if wrong is not None:
        raise InitError(printable(f"--{wrong.field}: {wrong.message}" + (f"; {wrong.hint}" if wrong.hint else "")))
    # Every file's way checked before any is written. A link in a file's own place is kept, as any existing file
    # is: creating never follows it. A link on the way (.github/ linked out) would take the files elsewhere.
    link = next(filter(None, (write_refusal(target, rel, itself=False) for rel in files)), "")
    if link:
        raise InitError(link)
    for rel, text in files.items():
        path = target / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as out:
                out.write(text)
        except FileExistsError:
            kept.append(rel)
            continue
        except OSError as exc:  # a folder that cannot be made: under a file, too long a name, a read-only place
            raise InitError(f"cannot make a site in {target}: {exc.strerror or exc} ({rel})") from None
        written.append(rel)
    return Initialized(tuple(written), tuple(kept))
