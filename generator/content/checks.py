"""Validate stage, part two: rules that span fields and files.

Ratings, people and sources must exist where they are referenced; quotes must anchor in
their snapshot; ids and output paths must not collide; published reports need reviewers.
Every rule appends diagnostics and goes on, so an editor sees all problems in one run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.content import schema as s
from generator.content.anchors import NOT_FOUND, Anchor, cut_words, find_quote, normalize
from generator.content.datechecks import check_dates
from generator.content.fieldchecks import Reporter, footnotes_paired, refuse_links, refuse_raw_html, shown_at_two_depths
from generator.content.hints import did_you_mean, rating_hint, scale_hint, source_hint
from generator.content.langchecks import check_language_field, check_site_languages, site_languages
from generator.content.load import SEEDS, YamlDoc, decode_utf8, unprintable
from generator.content.markdown import citations
from generator.content.names import base_url_problem, http_url_problem, plain_static_path
from generator.content.placeholders import yaml_placeholders
from generator.content.validate import (
    Located,
    Obj,
    get_bool,
    get_int,
    get_obj,
    get_objs,
    get_text,
    get_texts,
    validate_doc,
)
from generator.diagnostics import Diagnostic, error


@dataclass(frozen=True)
class CheckedReport:
    """A report whose values passed every check, with its snapshot text and quote anchors."""

    doc: Located
    data: Obj
    snapshot: str
    anchors: dict[str, Anchor]


@dataclass(frozen=True)
class Context:
    """What report checks need to know about the rest of the project."""

    ratings: tuple[str, ...]
    people: tuple[str, ...]
    reviewers_required: int
    snapshots: Mapping[str, bytes]  # read on first use: most reports come from the store and read none
    refused: frozenset[str] = frozenset()  # snapshots the file rule refused: say so, not "not found"
    languages: tuple[str, ...] = ()  # the site's language tags, the default first
    people_read: bool = True  # False when people.yaml did not parse: a person missing from it is then no report's mistake
    year: int = 0  # today's year, for dates in a year still to come (0: not compared)


_CLAIM_ITEM = re.compile(r"claims\[[^\]]*\]")
CLAIM_REVIEWED_ADVISED = 75  # Google's ClaimReview guidance for claimReviewed
CLOSEST_HINTS = 20  # quotes not found per report that get the closest passage as a hint
# ...and no more than this many characters of snapshot read for such hints per report (at least one hint):
# a 20 MB snapshot takes seconds a search, and a pull request could ask for twenty.
CLOSEST_HINT_CHARACTERS = 4_000_000
# No ':', '/', brackets or commas before the '@' either: 'javascript:alert(1)//@x.com' is no one's address.
# The domain is dot-separated labels, none empty: with dots allowed in the labels, a run of them ending in a
# space was tried split at every dot against every later one (20,000 dots took 1.7 s, 80,000 about 27 s).
_EMAIL = re.compile(r"^[^@\s<>\"'?&:/()\[\],;\\]++@[^@\s<>\"'?&/.]++(?:\.[^@\s<>\"'?&/.]++)+$")


def _duplicates(items: Iterable[tuple[str, str]], reporter: Reporter, what: str, hint: str = "") -> None:
    seen: dict[str, str] = {}
    for key, where in items:
        if key in seen:
            line = reporter.doc.mark(seen[key])[0]
            reporter.error(where, f"duplicate {what} '{key}' (first at line {line})", hint or f"give each {what} its own id")
        else:
            seen[key] = where


def check_site(located: Located, diags: list[Diagnostic]) -> Obj:
    """Checks on the rating scale beyond its shape."""
    site = located.value if isinstance(located.value, dict) else {}
    rep = Reporter(located, diags)
    ratings = get_obj(site, "ratings")
    scale = get_objs(ratings, "scale")
    other = get_objs(ratings, "other")
    keyed = [(get_text(r, "key"), f"ratings.scale[{get_text(r, 'key')}]") for r in scale]
    keyed += [(get_text(r, "key"), f"ratings.other[{get_text(r, 'key')}]") for r in other]
    _duplicates(keyed, rep, "rating key")
    values: list[tuple[int, str]] = []
    for r in scale:
        where = f"ratings.scale[{get_text(r, 'key')}]"
        if "value" in r:
            values.append((get_int(r, "value", 0), get_text(r, "key")))
        elif where + ".value" not in located.marks:  # one written but refused (2.5) has its error already
            rep.error(where + ".value", "a rating on the scale needs a whole-number 'value'", "or move it under 'other:'")
    for r in other:
        if "value" in r:
            rep.error(f"ratings.other[{get_text(r, 'key')}].value", "ratings outside the scale have no value", "remove 'value' or move the rating to 'scale:'")
    order = [value for value, _ in values]
    if order != sorted(order, reverse=True) or len(set(order)) != len(order):
        rep.error("ratings.scale", "scale values must be distinct and listed best first (highest value first)", scale_hint(values))
    transparency = get_obj(site, "transparency")
    for key in ("contact", "tips", "report_errors"):
        value = get_text(transparency, key)
        if value.lower().startswith("mailto:"):
            rep.error(f"transparency.{key}", f"'{value}': write the email address alone", f"{key}: {value[7:]}")
        elif value and not (_EMAIL.match(value) or not http_url_problem(value)):
            rep.error(
                f"transparency.{key}",
                f"'{value}' is neither an email address nor an http(s) address",
                "e.g. corrections@example.org or https://example.org/form",
            )
    base_url = get_text(site, "base_url")
    problem = base_url_problem(base_url) if base_url else ""
    if problem and not http_url_problem(base_url):  # not a URL at all: the schema said so
        rep.error("base_url", f"'{base_url}' {problem}", "give the site's address alone, e.g. base_url: https://example.org/factcheck/")
    favicon = get_text(site, "favicon")
    local = favicon.startswith("static/") and plain_static_path(favicon)
    if favicon and not local and http_url_problem(favicon):
        rep.error(
            "favicon",
            f"'{favicon[:80]}' is neither a theme file (static/...) nor an http(s) address",
            "e.g. static/favicon.svg or https://example.org/icon.png",
        )
    names = [(" ".join(get_text(c, "name").casefold().split()), f"claimants[{index}].name") for index, c in enumerate(get_objs(site, "claimants"))]
    _duplicates(names, rep, "claimant", "list each claimant once: names are compared ignoring case and spacing")
    if not scale and not other and isinstance(located.value, dict) and "ratings" in located.value:
        rep.error("ratings", "define at least one rating")
    check_site_languages(located, site, diags)
    return site


def _snapshot_text(rep: Reporter, rel: str, ctx: Context) -> str | None:
    where = "article.snapshot"
    if not rel.startswith(SEEDS + "/"):
        plain = "/".join(part for part in rel.split("/") if part not in ("", "."))  # './seeds/a.txt' is meant as seeds/a.txt
        hint = f"write it as '{plain}'" if plain.startswith(SEEDS + "/") else f"move the article text to {SEEDS}/ and point at it"
        rep.error(where, f"snapshot '{rel}' must be inside {SEEDS}/", hint)
        return None
    data = ctx.snapshots.get(rel)
    if data is None and rel in ctx.refused:
        rep.error(where, f"snapshot '{rel}' was refused (see the error on {rel})", "keep the article's text itself in seeds/")
        return None
    if data is None and rel in ctx.snapshots:  # listed, so there, but it could not be read now
        rep.error(where, f"snapshot file '{rel}' cannot be read", "make it readable by the user who builds the site")
        return None
    if data is None:
        hint = did_you_mean(rel, sorted(ctx.snapshots)) if ctx.snapshots else f"put the article text in {SEEDS}/"
        rep.error(where, f"snapshot file '{rel}' not found", hint)
        return None
    sub: list[Diagnostic] = []
    text = decode_utf8(rel, data, sub)
    if text is None:
        found = sub[0] if sub else None  # what decode_utf8 found, told at the snapshot's line
        told = f"{rel}:{found.line}: {found.message}; " if found is not None else ""
        rep.error(where, f"snapshot '{rel}' is not UTF-8 text", f"{told}save it as UTF-8 (in most editors: Save with Encoding, UTF-8)")
    elif unprintable(rel, text, rep.diags):
        return None  # reported at the character in the snapshot itself
    # Composed (NFC), as quotes are compared: 'é' saved as e + U+0301 must still match a pasted 'é'.
    return unicodedata.normalize("NFC", text) if text is not None else None


def check_report(located: Located, ctx: Context, diags: list[Diagnostic]) -> CheckedReport | None:
    """Cross-field checks of one report; None if it cannot be modelled."""
    if not isinstance(located.value, dict) or located.stopped:
        return None
    data = located.value
    rep = Reporter(located, diags)
    start = len(diags)  # diagnostics are only appended: look at this report's own, not every report's so far
    _check_people(data, rep, ctx)
    check_language_field(located, data, ctx.languages, diags)
    claims = get_objs(data, "claims")
    sources = get_objs(data, "sources")
    # A source without a (valid) id is reported where it stands; it cannot be cited, so it is no candidate.
    source_ids = [source_id for source_id in (get_text(src, "id") for src in sources) if source_id]
    used: set[str] = set()
    for claim in claims:
        used |= _check_claim(claim, source_ids, rep, ctx)
    # A claim left out for a duplicate id is checked at its place too, so that fixing the id shows no new errors.
    left_out = [(where, claim) for where, claim in located.dropped if _CLAIM_ITEM.fullmatch(where) and isinstance(claim, dict)]
    for where, claim in left_out:  # claims, not items of a claim's own lists
        used |= _check_claim(claim, source_ids, rep, ctx, where)
    walked = {where for where, _ in left_out}
    # A claim refused unread (not a mapping: an error on the item itself) is not in `claims`: the sources it
    # cites would look unused.
    dropped = any(d.is_error and d.path == located.path and _CLAIM_ITEM.fullmatch(d.field) and d.field not in walked for d in diags[start:])
    for source_id in source_ids:
        if source_id not in used and not dropped:
            rep.warning(f"sources[{source_id}]", f"source '{source_id}' is not used by any claim", "cite it in a claim's analysis or remove it")
    _check_corrections(data, claims, rep, ctx)
    _check_withdrawal(data, rep)
    check_dates(data, claims, rep, ctx.year)
    snapshot = _article_text(data, rep, ctx)
    saved = "text_unavailable" not in get_obj(data, "article")  # an empty snapshot still anchors (and fails)
    anchors = _anchor_claims(claims, snapshot, rep) if snapshot is not None and saved else {}
    # No ratings: site.yaml is broken (and says so); the report cannot be modelled without them.
    if any(d.is_error for d in diags[start:]) or snapshot is None or not ctx.ratings:
        return None
    return CheckedReport(located, data, snapshot, anchors)


def _article_text(data: Obj, rep: Reporter, ctx: Context) -> str | None:
    """The snapshot's text; '' for an imported report whose text was not saved; None on error."""
    article = get_obj(data, "article")
    if "text_unavailable" not in article:
        if "snapshot" in article:
            return _snapshot_text(rep, get_text(article, "snapshot"), ctx)
        # A snapshot that was written but refused (an absolute path, '..') is already reported where it stands.
        refused = any(d.field == "article.snapshot" and d.path == rep.doc.path and d.is_error for d in rep.diags)
        if "article" in data and not refused:
            rep.error("article", "missing required field 'snapshot'", f"add 'snapshot:' with the article's text in {SEEDS}/")
        return None
    if "snapshot" in article:
        rep.error("article.text_unavailable", "give either 'snapshot' or 'text_unavailable', not both", "remove 'text_unavailable': the text was saved")
        return None
    if get_bool(article, "publish_text"):
        rep.error("article.publish_text", "'publish_text: true' needs the article's text, which was not saved", "remove 'publish_text' or add a snapshot")
        return None
    # One note per report (a choice the field states, so `--strict` passes it): its quotes are shown as recorded, never checked against a text.
    message = "the article's text was not saved: quotes are shown as recorded, not anchored"
    rep.note("article.text_unavailable", message, "save the text in seeds/ and use 'snapshot:' instead")
    return ""


def _check_people(data: Obj, rep: Reporter, ctx: Context) -> None:
    authors = get_texts(data, "authors")
    reviewers = get_texts(data, "reviewers")
    for role, ids in (("authors", authors), ("reviewers", reviewers)):
        for person in ids:
            if person not in ctx.people and ctx.people_read:
                hint = did_you_mean(person, ctx.people) if ctx.people else "add people to content/people.yaml"
                rep.error(f"{role}[{person}]", f"unknown person '{person}'", hint)
    independent = [r for r in reviewers if r not in authors]
    if get_text(data, "status") == "published" and len(independent) < ctx.reviewers_required:
        need = ctx.reviewers_required
        rep.error(
            "status",
            f"a published report needs {need} reviewer{'s' if need != 1 else ''} other than its authors, it has {len(independent)}",
            "add 'reviewers: [id]' with someone who did not write it, or set status: in-review",
        )


def _check_claim(claim: Obj, source_ids: list[str], rep: Reporter, ctx: Context, where: str = "") -> set[str]:
    where = where or f"claims[{get_text(claim, 'id')}]"
    rating = get_text(get_obj(claim, "verdict"), "rating")
    # No ratings at all: site.yaml is broken and says so; one error per claim would bury it.
    if rating and ctx.ratings and rating not in ctx.ratings:
        rep.error(f"{where}.verdict.rating", f"unknown rating '{rating}'", rating_hint(rating, ctx.ratings))
    reviewed = get_text(claim, "claim_reviewed")
    if len(reviewed) > CLAIM_REVIEWED_ADVISED:
        rep.note(
            f"{where}.claim_reviewed",
            f"claim_reviewed is {len(reviewed)} characters; Google advises at most {CLAIM_REVIEWED_ADVISED}, so it does not wrap on phones",
            "shorten it if you can; the full claim stays in the quote and the analysis",
        )
    listed = get_texts(claim, "sources")
    for source_id in listed:
        if source_id not in source_ids:
            rep.error(f"{where}.sources[{source_id}]", f"unknown source '{source_id}'", source_hint(source_id, source_ids))
    analysis = get_text(claim, "analysis")
    refuse_links(rep, f"{where}.analysis", analysis)
    shown_at_two_depths(rep, f"{where}.analysis", analysis)
    footnotes_paired(rep, f"{where}.analysis", analysis)
    reported: set[str] = set()
    for offset, ids in citations(analysis):
        for source_id in ids:
            if source_id in reported:
                continue
            reported.add(source_id)
            if source_id not in source_ids:
                rep.error_in(
                    f"{where}.analysis", analysis, offset, f"citation [@{source_id}] names no source of this report", source_hint(source_id, source_ids)
                )
            elif source_id not in listed:
                rep.error_in(
                    f"{where}.analysis", analysis, offset, f"citation [@{source_id}] is not in this claim's sources", f"add '{source_id}' to {where}.sources"
                )
    if "analysis" in claim:
        for source_id in listed:
            if source_id in source_ids and source_id not in reported:
                hint = f"cite it as [@{source_id}] where the analysis relies on it, or remove it from {where}.sources"
                rep.warning(f"{where}.sources[{source_id}]", f"source '{source_id}' is listed for this claim but not cited in its analysis", hint)
    refuse_raw_html(analysis, f"{where}.analysis", rep)
    return set(listed)


def _check_corrections(data: Obj, claims: list[Obj], rep: Reporter, ctx: Context) -> None:
    claim_ids = [get_text(c, "id") for c in claims]
    published = data.get("published")
    for index, corr in enumerate(get_objs(data, "corrections")):
        where = f"corrections[{index}]"
        claim = get_text(corr, "claim")
        if claim and claim not in claim_ids and get_text(corr, "type") != "claim-removed":
            rep.error(f"{where}.claim", f"unknown claim '{claim}'", did_you_mean(claim, claim_ids))
        for key in ("from", "to"):
            rating = get_text(corr, key)
            if rating and ctx.ratings and rating not in ctx.ratings:
                hint = f"{rating_hint(rating, ctx.ratings)}; if the scale's key was renamed, write its new name here too"
                rep.error(f"{where}.{key}", f"unknown rating '{rating}'", hint)
        if get_text(corr, "type") == "rating-change" and not (claim and "from" in corr and "to" in corr):
            rep.error(where, "a rating-change needs 'claim', 'from' and 'to'", "e.g. claim: my-claim, from: half-true, to: mostly-false")
        date = corr.get("date")
        if published is not None and date is not None and str(date) < str(published):
            rep.error(f"{where}.date", f"correction dated {date}, before the report was published ({published})")
    updated = data.get("updated")
    if published is not None and updated is not None and str(updated) < str(published):
        rep.error("updated", f"updated ({updated}) is before published ({published})")


def _check_withdrawal(data: Obj, rep: Reporter) -> None:
    withdrawn = get_text(data, "status") == "withdrawn"
    if withdrawn and "withdrawn" not in data:
        rep.error("status", "a withdrawn report needs 'withdrawn: {date, reason}'", "add withdrawn: {date: YYYY-MM-DD, reason: why it was withdrawn}")
    elif "withdrawn" in data and not withdrawn:
        rep.error("withdrawn", f"'withdrawn' is set but the status is '{get_text(data, 'status')}'", "set status: withdrawn, or remove the withdrawn block")
    if withdrawn and not any(get_text(c, "type") == "withdrawn" for c in get_objs(data, "corrections")):
        rep.error(
            "status",
            "a withdrawn report needs a corrections entry of type 'withdrawn', so the corrections index and feed record it",
            "add to corrections: - {date: YYYY-MM-DD, type: withdrawn, change: We withdrew this fact-check., reason: ...}",
        )
    date, published = get_obj(data, "withdrawn").get("date"), data.get("published")
    if date is not None and published is not None and str(date) < str(published):
        rep.error("withdrawn.date", f"withdrawn {date}, before the report was published ({published})")


def _anchor_claims(claims: list[Obj], snapshot: str, rep: Reporter) -> dict[str, Anchor]:
    normal = normalize(snapshot)
    anchors: dict[str, Anchor] = {}
    missed = 0
    hints = max(1, min(CLOSEST_HINTS, CLOSEST_HINT_CHARACTERS // max(1, len(snapshot))))
    for claim in claims:
        quote = get_obj(claim, "quote")
        if "exact" not in quote:
            continue
        where = f"claims[{get_text(claim, 'id')}].quote.exact"
        # Each closest-passage search reads the whole article: thousands of them would take minutes.
        exact, prefix, suffix = (unicodedata.normalize("NFC", get_text(quote, name)) for name in ("exact", "prefix", "suffix"))
        result = find_quote(normal, exact, prefix, suffix, missed < hints)
        if result.anchor is None:
            missed += result.message == NOT_FOUND
            rep.error(where, result.message, result.hint)
        else:
            anchors[get_text(claim, "id")] = result.anchor
            cut = cut_words(snapshot, result.anchor)
            if cut is not None:
                rep.warning(where, *cut)
    return anchors


def make_context(
    site: Obj, people: list[Obj], snapshots: Mapping[str, bytes], refused: frozenset[str] = frozenset(), people_read: bool = True, year: int = 0
) -> Context:
    """What report checks need to know about the rest of the project (`refused`: snapshots the file rule refused; `people_read`: people.yaml parsed)."""
    ratings = get_obj(site, "ratings")
    keys = tuple(get_text(r, "key") for r in get_objs(ratings, "scale") + get_objs(ratings, "other"))
    people_ids = tuple(get_text(p, "id") for p in people)
    return Context(keys, people_ids, get_int(site, "reviewers_required", 1), snapshots, refused, site_languages(site), people_read, year)


def check_people(doc: YamlDoc | None, diags: list[Diagnostic]) -> list[Obj]:
    """Validate content/people.yaml: shape and unique ids."""
    if doc is None:
        return []
    located = validate_doc(doc, s.PEOPLE, diags)
    people = [p for p in located.value if isinstance(p, dict)] if isinstance(located.value, list) else []
    rep = Reporter(located, diags)
    for person in people:
        refuse_links(rep, f"[{get_text(person, 'id')}].bio", get_text(person, "bio"))
    return people


def check_report_doc(doc: YamlDoc, ctx: Context, diags: list[Diagnostic]) -> tuple[Located, CheckedReport | None]:
    """Validate one report file against the schema, then run its cross-field checks."""
    located = validate_doc(doc, s.REPORT, diags)
    diags += yaml_placeholders(doc)
    return located, check_report(located, ctx, diags)


def report_id_clashes(reports: Iterable[tuple[str, str, tuple[int, int]]]) -> list[Diagnostic]:
    """Errors for report ids used by two files, in each of them; `reports` gives (path, id, position of the id) in file order."""
    diags: list[Diagnostic] = []
    users: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for path, report_id, place in reports:
        if report_id:
            users.setdefault(report_id, []).append((path, place))
    # In each file: which of the two is the copy (a file just added, or the one renamed) only the editor knows.
    for report_id, found in users.items():
        for path, (line, col) in found if len(found) > 1 else ():
            others = ", ".join(other for other, _ in found if other != path)
            hint = f"each would write reports/{report_id}/: give one of them another id"
            diags.append(error(path, line, col, f"report id '{report_id}' is also used by {others}", "id", hint))
    return diags
