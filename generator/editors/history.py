"""Corrections that cannot be skipped: compare published reports with an earlier git revision.

`factcheck check --since REF` reads the reports as they were at REF (`git show REF:path`, no
checkout), parses them with the same load and validate code as the build, and fails when a
published claim's rating changed, a published claim was removed or a published report was
unpublished without a corrections entry that records it. Every git call lives in this module.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.content import schema as s
from generator.content.load import REPORTS_DIR, SITE_FILE, YamlDoc, decode_utf8, discover, load_yaml_file, parse_yaml
from generator.content.validate import Located, Obj, get_obj, get_objs, get_text, validate_doc
from generator.diagnostics import Diagnostic, error, one_line, warning
from generator.editors.scaffold import yaml_scalar

_GIT_TIMEOUT = 60  # seconds; a local repository answers in milliseconds


class _GitUnavailable(Exception):
    """git is missing or the project is not in a repository: skip, with a warning."""


class _GitFailed(Exception):
    """git is there but refused (an unknown revision, say): an error."""


@dataclass(frozen=True)
class _Report:
    """A report's values and field marks, at the revision or now."""

    path: str
    located: Located
    data: Obj

    @property
    def id(self) -> str:
        return get_text(self.data, "id")

    @property
    def status(self) -> str:
        return get_text(self.data, "status")

    def ratings(self) -> dict[str, str]:
        """Claim id -> rating key ('' where the rating did not parse)."""
        claims = get_objs(self.data, "claims")
        return {get_text(c, "id"): get_text(get_obj(c, "verdict"), "rating") for c in claims if get_text(c, "id")}

    def all_claims_parsed(self) -> bool:
        """False when some claim lost its id to a mistake: a claim then only looks removed."""
        value = self.data.get("claims")
        return isinstance(value, list) and all(get_text(c, "id") for c in get_objs(self.data, "claims"))

    def corrections(self) -> Counter[tuple[str, str, str, str]]:
        """(type, claim, from, to) of each corrections entry, counted."""
        return Counter((get_text(c, "type"), get_text(c, "claim"), get_text(c, "from"), get_text(c, "to")) for c in get_objs(self.data, "corrections"))


def _git(root: Path, *args: str) -> bytes:
    """Run git in `root` (never through a shell); stdout, or _GitFailed with git's own words."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
            env=_git_env(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _GitUnavailable(f"git could not run ({exc})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(message[0] if message else f"git {args[0]} failed")
    return done.stdout


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    # Never prompt for credentials, never page, and keep git's messages in plain English.
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C", LANGUAGE="C")
    return env


def _resolve(root: Path, ref: str) -> str:
    """The commit id of `ref`; raises _GitUnavailable outside a repository, _GitFailed for a bad ref."""
    if shutil.which("git") is None:
        raise _GitUnavailable("git is not installed")
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except _GitFailed as exc:
        raise _GitUnavailable(f"the project folder is not in a git repository ({exc})") from None
    if not ref or ref.startswith("-") or not ref.isprintable() or any(char.isspace() for char in ref):
        raise _GitFailed(f"'{one_line(ref)}' is not a git revision")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except _GitFailed:
        raise _GitFailed(f"unknown git revision '{ref}'") from None


def _changed_reports(root: Path, commit: str) -> list[str]:
    """Report files that differ between `commit` and the working tree (paths relative to root)."""
    out = _git(root, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--relative", commit, "--", REPORTS_DIR)
    names = [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]
    return sorted(name for name in names if name.endswith(".yaml"))


def _old_report(root: Path, commit: str, rel: str) -> _Report | None:
    """The report at `rel` as it was at `commit`, parsed like the build does; None if absent there."""
    try:
        data = _git(root, "show", f"{commit}:./{rel}")
    except _GitFailed:
        return None  # added since the revision
    diags: list[Diagnostic] = []
    text = decode_utf8(rel, data, diags)
    if text is None:
        return None
    return _validated(parse_yaml(rel, text, diags))


def _validated(doc: YamlDoc) -> _Report | None:
    located = validate_doc(doc, s.REPORT, [])
    return _Report(doc.path, located, located.value) if isinstance(located.value, dict) else None


def _current_reports(root: Path) -> dict[str, _Report]:
    """Every report on disk now, subfolders too (the files the build reads), by id; files that do not parse are left to the main check."""
    found: dict[str, _Report] = {}
    for rel in discover(root).reports:
        report = _validated(load_yaml_file(root, rel, []))
        if report is not None and report.id:
            found.setdefault(report.id, report)
    return found


def correction_yaml(kind: str, claim: str = "", old: str = "", new: str = "", today: dt.date | None = None) -> str:
    """The corrections entry an editor should add, as YAML lines to paste under `corrections:`."""
    lines = [f"- date: {(today or dt.date.today()).isoformat()}", f"  type: {kind}"]
    if claim:
        lines.append(f"  claim: {claim}")
    if kind == "rating-change":
        lines += [f"  from: {yaml_scalar(old)}", f"  to: {yaml_scalar(new)}"]
    lines += ["  change:  # what changed, in a sentence readers will see", "  reason:  # why it changed"]
    return "\n".join(lines)


def _hint(entry: str) -> str:
    return "add this entry to the report's corrections list (in place of `corrections: []` if present) and fill in change and reason:\n" + entry


def _scale_keys(doc: YamlDoc, lists: tuple[str, ...] = ("scale",)) -> frozenset[str] | None:
    """The rating keys on a site.yaml's scale (or on these lists of its ratings); None if it does not parse (the main check says why)."""
    located = validate_doc(doc, s.SITE, [])
    if not isinstance(located.value, dict):
        return None
    keys = frozenset(get_text(rating, "key") for name in lists for rating in get_objs(get_obj(located.value, "ratings"), name))
    return keys - {""} or None


@dataclass
class _Renames:
    """The scale now and at the revision, and the claims whose key left it for a key new since then: renamed, not re-rated,
    when every claim of the old key went to the same new one (else each needs its entry, held here until all are seen)."""

    now: frozenset[str]
    then: frozenset[str]
    moves: dict[str, list[tuple[str, Diagnostic]]] = field(default_factory=dict)

    def renamed(self, before: str, after: str, unexcused: Diagnostic) -> bool:
        """True (the claim is held) if `before` left the scale for `after`, a key the scale did not have at the revision."""
        if before in self.now or after in self.then or not after:
            return False
        self.moves.setdefault(before, []).append((after, unexcused))
        return True

    def split(self) -> list[Diagnostic]:
        """The held claims of each old key that went to more than one new key: not a rename, so each needs its entry."""
        return [found for moved in self.moves.values() if len({after for after, _ in moved}) > 1 for _, found in moved]


def _scales(root: Path, commit: str) -> _Renames | None:
    """The scale now and at `commit`; None if either does not parse."""
    try:
        then_text = _git(root, "show", f"{commit}:./{SITE_FILE}").decode("utf-8-sig", "replace")
    except _GitFailed:
        return None
    now, then = _scale_keys(load_yaml_file(root, SITE_FILE, [])), _scale_keys(parse_yaml(SITE_FILE, then_text, []))
    return _Renames(now, then) if now is not None and then is not None else None


def _compare(
    old: _Report, new: _Report, ref: str, today: dt.date, diags: list[Diagnostic], renames: _Renames | None = None, known: frozenset[str] | None = None
) -> None:
    # Entries added since the revision: an old entry cannot excuse a new change.
    added = new.corrections() - old.corrections()
    report_id = old.id or new.id

    def report(where: str, message: str, hint: str) -> None:
        line, col = new.located.mark(where)
        diags.append(error(new.path, line, col, message, where, hint))

    # An empty status or rating did not parse: the main check reports it, not this one.
    # Withdrawing a report is unpublishing it in public: it needs its own entry, which the corrections index shows.
    kind = "withdrawn" if new.status == "withdrawn" else "unpublished"
    if new.status not in ("", "published") and not any(k[0] == kind for k in added):
        report(
            "status",
            f"report '{report_id}' was published at {ref} and is now '{new.status}', but no corrections entry of type '{kind}' records it",
            _hint(correction_yaml(kind, today=today)),
        )
    now = new.ratings()
    for claim_id, before in old.ratings().items():
        after = now.get(claim_id)
        where = f"claims[{claim_id}]"
        if after is None and new.all_claims_parsed() and not any(k[0] == "claim-removed" and k[1] == claim_id for k in added):
            report(
                "claims",
                f"published claim '{claim_id}' (rated {before}) was removed from report '{report_id}' since {ref}, but no corrections entry records it",
                _hint(correction_yaml("claim-removed", claim_id, today=today)),
            )
        # A rating the site does not have is the main check's error; an entry naming it would be a second one.
        elif after and before and after != before and (known is None or after in known) and not added[("rating-change", claim_id, before, after)]:
            line, col = new.located.mark(f"{where}.verdict.rating")
            message = (
                f"the rating of published claim '{claim_id}' in report '{report_id}' changed from '{before}' to '{after}' since {ref}, "
                "but no corrections entry records it"
            )
            unexcused = error(new.path, line, col, message, f"{where}.verdict.rating", _hint(correction_yaml("rating-change", claim_id, before, after, today)))
            # A key renamed in site.yaml: the scale changed, not the verdict (a correction could not name the old key).
            if renames is None or not renames.renamed(before, after, unexcused):
                diags.append(unexcused)


def check_since(root: Path, ref: str, today: dt.date | None = None) -> list[Diagnostic]:
    """Diagnostics for published verdicts changed since `ref` without a correction; a warning if git is unavailable."""
    today = today or dt.date.today()
    try:
        commit = _resolve(root, ref)
        changed = _changed_reports(root, commit)
        olds = [(rel, _old_report(root, commit, rel)) for rel in changed]
    except _GitUnavailable as exc:
        return [warning(REPORTS_DIR, 0, 0, f"not compared with '{ref}': {exc}; the --since check was skipped", hint="run it in a git clone with git installed")]
    except _GitFailed as exc:
        return [error(REPORTS_DIR, 0, 0, f"--since: {exc}", hint="fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0)")]
    diags: list[Diagnostic] = []
    current: dict[str, _Report] | None = None
    renames = _scales(root, commit)
    known = _scale_keys(load_yaml_file(root, SITE_FILE, []), ("scale", "other"))
    for rel, old in olds:
        if old is None or old.status != "published":
            continue
        exists = (root / rel).is_file()
        new = _validated(load_yaml_file(root, rel, [])) if exists else None
        if exists and (new is None or not new.id):
            continue  # the file is broken now; the main check says why
        if old.id and (new is None or new.id != old.id):
            # Moved to another file, or gone: look the report up by id among all files.
            current = current if current is not None else _current_reports(root)
            new = current.get(old.id)
        if new is None:
            message = f"published report '{old.id}' was deleted or renamed since {ref}; a published report is never removed, only unpublished with a correction"
            hint = "restore the file, set status: draft, and " + _hint(correction_yaml("unpublished", today=today))
            diags.append(error(rel, 0, 0, message, hint=hint))
            continue
        _compare(old, new, ref, today, diags, renames, known)
    return diags + (renames.split() if renames is not None else [])
