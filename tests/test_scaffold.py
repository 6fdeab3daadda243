"""`factcheck new`: scaffolded reports and pages, their claim stubs, and what the checks say about them."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import REPO, write_tree
from generator import cli
from generator.build import check
from generator.content.anchors import find_quote, normalize
from generator.diagnostics import BuildFailed, Diagnostic
from generator.editors.scaffold import ScaffoldError, new_page, new_report, yaml_scalar
from generator.editors.stubs import ArticleFacts, article_facts, checkworthy

TODAY = dt.date(2026, 6, 3)

ARTICLE = """\
Daily Planet

Rents Have Doubled, Mayor Says

Mayor Jane Doe said on Tuesday that rents in Metropolis have doubled since 2015.
The weather was pleasant and everyone went outside.
The council spent $4 million on new shelters, according to its budget.
Why does this matter?
"We will build more homes," the mayor told reporters.
The council spent $4 million on new shelters, according to its budget.
Critics disagree.
"""


def scaffold(project: Path, text: str = ARTICLE, **options: Any) -> tuple[Path, str]:
    """Write the article outside the project, scaffold a report from it; the report's path and text."""
    source = project.parent / "incoming" / "planet-article.txt"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    done = new_report(project, source, today=TODAY, **options)
    path = project / done.path
    return path, path.read_text(encoding="utf-8")


def problems(project: Path) -> list[Diagnostic]:
    """Errors `factcheck check` reports (drafts included)."""
    try:
        _site, diagnostics = check(project)
    except BuildFailed as failed:
        diagnostics = list(failed.diagnostics)
    return [d for d in diagnostics if d.is_error]


def uncomment_stubs(text: str, keep: int | None = None) -> str:
    """Do what an editor does with Ctrl+/: uncomment the first `keep` claim stubs (all if None)."""
    out: list[str] = []
    inside, kept, in_claims = False, 0, False
    for line in text.splitlines():
        in_claims = line == "claims:" or (in_claims and line.startswith(" "))
        if in_claims and line.startswith("  # - id: ") and (keep is None or kept < keep):
            inside, kept = True, kept + 1
            out.append("  " + line[4:])
        elif inside and line.startswith("  #   "):
            out.append("  " + line[4:])
        else:
            inside = False
            out.append(line)
    return "\n".join(out) + "\n"


def fill_in(text: str, keep: int | None = 1) -> str:
    """Fill the required fields as an editor would, keeping `keep` claims and adding one source."""
    text = uncomment_stubs(text, keep)
    replacements = {
        r"^title:  # TODO.*$": 'title: "Fact-check: the Daily Planet on rents"',
        r"^summary:  # TODO.*$": "summary: One claim checked.",
        r"^authors:  # TODO.*$": "authors: [ann]",
        r"^  url:  # TODO.*$": "  url: https://planet.example/rents",
        r"^(\s+)claim_reviewed:  # TODO.*$": r"\1claim_reviewed: Rents in Metropolis doubled since 2015",
        r"^(\s+)rating:  # TODO.*$": r'\1rating: "false"',
        r"^(\s+)explanation:  # TODO.*$": r"\1explanation: Rents rose 38%, not 100%.",
        r"^(\s+)analysis:  # TODO.*$": r"\1analysis: The rent index shows a 38% rise [@stats-rents].",
        r"^(\s+)sources:  # TODO.*$": r"\1sources: [stats-rents]",
    }
    for pattern, value in replacements.items():
        text = re.sub(pattern, value, text, flags=re.M)
    source = "  - id: stats-rents\n    title: Rent index\n    publisher: Statistics Office\n    url: https://stats.example/rents\n    kind: primary\n"
    return text.replace("sources:\n", "sources:\n" + source, 1)


def as_json(value: Any) -> Any:
    """YAML values as editors' JSON Schema tools see them (dates as strings)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    """The minimal project without its report: a newsroom about to write one."""
    return make_project({"content/reports/planet-rents.yaml": None})


def test_report_scaffold_has_metadata_and_schema_line(project: Path) -> None:
    path, text = scaffold(project, publisher="Daily Planet", url="https://planet.example/rents")
    assert path == project / "content/reports/daily-planet-rents-have-doubled-mayor-says.yaml"
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/report.schema.json"
    data = yaml.safe_load(text)
    assert data["id"] == "daily-planet-rents-have-doubled-mayor-says"
    assert data["status"] == "draft"
    assert data["published"] == TODAY
    assert data["article"] == {
        "headline": "Rents Have Doubled, Mayor Says",  # the publisher's line above it is skipped
        "publisher": "Daily Planet",
        "url": "https://planet.example/rents",
        "retrieved": TODAY,
        "snapshot": "seeds/planet-article.txt",
    }
    assert (project / "seeds/planet-article.txt").read_text(encoding="utf-8") == ARTICLE
    assert (project / "schema/report.schema.json").is_file()
    assert "# one of true, half-true, false, unproven" in text.replace("TODO: ", "")
    assert "(known: ann, bob)" in text


def test_headline_is_the_first_line_without_publisher_and_can_be_given(project: Path) -> None:
    _path, text = scaffold(project)
    assert yaml.safe_load(text)["article"]["headline"] == "Daily Planet"
    _path, text = scaffold(project, slug="given", headline="  Rents:   up ")
    assert yaml.safe_load(text)["article"]["headline"] == "Rents: up"
    assert "guessed" not in text.split("headline:")[1].splitlines()[0]


def test_stubs_are_the_checkworthy_sentences(project: Path) -> None:
    _path, text = scaffold(project)
    exacts = [json.loads(m) for m in re.findall(r"^  #     exact: (.*)$", text, flags=re.M)]
    assert exacts == [
        "Rents Have Doubled, Mayor Says",
        "Mayor Jane Doe said on Tuesday that rents in Metropolis have doubled since 2015.",
        "The council spent $4 million on new shelters, according to its budget.",
        '"We will build more homes," the mayor told reporters.',
    ]
    assert "  # From line 5 (number, date, attribution, names):" in text
    assert "  # From line 9 (attribution, quotation):" in text


def test_repeated_sentence_gets_context_that_anchors_once(project: Path) -> None:
    _path, text = scaffold(project)
    block = text[text.index("The council spent") - 200 :]
    assert '#     prefix: "Metropolis have doubled since 2015. The weather was pleasant and everyone went outside."' not in block
    stub = next(s for s in checkworthy(ARTICLE) if s.exact.startswith("The council"))
    assert (stub.prefix, stub.suffix) == ("outside.", "")
    result = find_quote(normalize(ARTICLE), stub.exact, stub.prefix, stub.suffix)
    assert result.anchor is not None and ARTICLE[result.anchor.start - 9 : result.anchor.start] == "outside.\n"
    assert '  #     prefix: "outside."' in text


def test_every_stub_anchors_in_the_snapshot() -> None:
    text = (REPO / "seeds/000_31222b92c9e8b7d3.txt").read_text(encoding="utf-8")
    normal = normalize(text)
    stubs = checkworthy(text)
    assert len(stubs) >= 10
    for stub in stubs:
        assert find_quote(normal, stub.exact, stub.prefix, stub.suffix).anchor is not None, stub.exact
    # The bundled report's claims were picked by hand from the same article: the scaffold offers them.
    exacts = {stub.exact for stub in stubs}
    assert (
        "The reversal occurred just hours before the scheduled ceremony, following a concentrated lobbying effort by Silicon Valley’s most prominent figures."
        in exacts
    )


@pytest.mark.parametrize(
    ("sentence", "reasons"),
    [
        ("Unemployment fell to 4 percent in the spring.", ("number",)),
        ("The vote took place on a Tuesday in early spring.", ("date", "names")),
        ("the figures were wrong, according to the ministry.", ("attribution",)),
        ('the minister called it "a disgrace" yesterday.', ("date", "quotation")),
        ("the report was written by the World Health Organization.", ("names",)),
        ("It rained and everyone stayed inside.", ()),
        ("How many people lost their jobs in 2020?", ()),
        ("Only two words", ()),
    ],
)
def test_checkworthy_reasons(sentence: str, reasons: tuple[str, ...]) -> None:
    found = checkworthy(sentence + "\n")
    assert (found[0].reasons if found else ()) == reasons


def test_hard_wrapped_sentence_is_one_stub() -> None:
    text = "Headline Here\n\nThe mayor said that rents rose by\nhalf in 2015, a record.\n"
    assert [s.exact for s in checkworthy(text)] == ["The mayor said that rents rose by half in 2015, a record."]
    assert find_quote(normalize(text), "The mayor said that rents rose by half in 2015, a record.").anchor is not None


def test_unfilled_scaffold_fails_check_naming_the_missing_fields(project: Path) -> None:
    scaffold(project)
    found = problems(project)
    assert all(d.path.startswith("content/reports/") for d in found)
    assert [(d.field, d.message) for d in sorted(found, key=lambda d: d.line)] == [
        ("title", "required field 'title' is empty"),
        ("summary", "required field 'summary' is empty"),
        ("authors", "required field 'authors' is empty"),
        ("article.publisher", "required field 'publisher' is empty"),
        ("article.url", "required field 'url' is empty"),
        ("claims", "required field 'claims' is empty"),
        ("sources", "required field 'sources' is empty"),
    ]


def test_uncommented_stub_names_its_missing_fields(project: Path) -> None:
    path, text = scaffold(project, publisher="Daily Planet", url="https://planet.example/rents")
    path.write_text(uncomment_stubs(text, keep=2), encoding="utf-8")
    fields = sorted({d.field for d in problems(project) if d.field.startswith("claims[")})
    assert fields == [
        f"claims[{claim}].{name}"
        for claim in ("mayor-jane-doe-said-on-tuesday", "rents-have-doubled-mayor-says")
        for name in ("analysis", "claim_reviewed", "sources", "verdict.explanation", "verdict.rating")
    ]


def test_filled_scaffold_passes_check_as_a_draft(project: Path) -> None:
    path, text = scaffold(project, publisher="Daily Planet")
    path.write_text(fill_in(text, keep=None), encoding="utf-8")
    assert problems(project) == []
    site, _diagnostics = check(project)
    report = next(r for r in site.reports if r.id == "daily-planet-rents-have-doubled-mayor-says")
    assert report.status == "draft"
    assert len(report.claims) == 4  # every stub's quote anchored once, the repeated one too


def test_filled_scaffold_validates_against_committed_schema(project: Path) -> None:
    _path, text = scaffold(project, publisher="Daily Planet")
    filled = yaml.safe_load(fill_in(text))
    schema = json.loads((REPO / "schema/report.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(as_json(filled))) == []
    # The raw scaffold is flagged by editors' tools exactly where a TODO is left.
    raw = yaml.safe_load(text)
    flagged = sorted("/".join(map(str, e.absolute_path)) for e in jsonschema.Draft202012Validator(schema).iter_errors(as_json(raw)))
    assert flagged == ["article/url", "authors", "claims", "sources", "summary", "title"]


def test_never_overwrites(project: Path) -> None:
    path, _text = scaffold(project, slug="planet")
    path.write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"content/reports/planet.yaml already exists; choose another --slug$"):
        scaffold(project, slug="planet")
    assert path.read_text(encoding="utf-8") == "edited by hand\n"
    guessed = scaffold(project)[0]  # the id guessed from the article, then the same again
    with pytest.raises(ScaffoldError, match=rf"content/reports/{guessed.stem}.yaml already exists; pass --slug to choose another id$"):
        scaffold(project)


def test_snapshot_in_seeds_is_used_in_place(project: Path) -> None:
    done = new_report(project, project / "seeds/planet.txt", slug="in-place", today=TODAY)
    assert yaml.safe_load((project / done.path).read_text(encoding="utf-8"))["article"]["snapshot"] == "seeds/planet.txt"
    assert sorted(p.name for p in (project / "seeds").iterdir()) == ["planet.txt"]
    assert done.notes == ["Wrote schema/report.schema.json for editor autocompletion."]


def test_same_text_in_seeds_is_reused_but_different_text_is_refused(project: Path) -> None:
    scaffold(project, slug="first")
    path, _text = scaffold(project, slug="second")  # same file again: reused
    assert path.is_file()
    with pytest.raises(ScaffoldError, match=r"seeds/planet-article.txt already exists and holds a different text; rename planet-article.txt"):
        scaffold(project, text=ARTICLE + "More.\n", slug="third")
    assert not (project / "content/reports/third.yaml").exists()
    assert (project / "seeds/planet-article.txt").read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n\x00\x01\x02binary", r"is not article text: it holds NUL bytes"),
        ("Caf\u00e9 prices rose 4%.\n".encode("latin-1"), r"is not UTF-8 text \(byte 0xe9 on line 1\)\. Save it as UTF-8"),
        (b"  \n\n", r"is empty: put the article's text in it first"),
        # As check reads a snapshot: it was copied, and the override written into the new report's comments.
        ("Headline\n\nThe \u202emayor said so.\n".encode(), r"article\.txt:3:5: contains a bidirectional override \(U\+202E\)"),
    ],
)
def test_refuses_binary_non_utf8_and_empty_snapshots(project: Path, content: bytes, message: str) -> None:
    source = project.parent / "article.txt"
    source.write_bytes(content)
    with pytest.raises(ScaffoldError, match=message):
        new_report(project, source, today=TODAY)
    assert sorted(p.name for p in (project / "seeds").iterdir()) == ["planet.txt"]
    assert not (project / "content/reports").exists()


def test_refuses_outside_a_project_and_bad_slugs(tmp_path: Path, project: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"no content/site.yaml under"):
        new_report(tmp_path / "nowhere", source)
    with pytest.raises(ScaffoldError, match=r"'Rents 2026' is not a valid id .*try 'rents-2026'"):
        new_report(project, source, slug="Rents 2026")
    with pytest.raises(ScaffoldError, match=r"no such file"):
        new_report(project, tmp_path / "missing.txt")


@pytest.mark.parametrize("text", ["true", "a: b", "#x", "2026-01-01", "it's", 'say "hi"', "x\u2028y", " padded ", "null", "- item", "Plain words"])
def test_yaml_scalar_reads_back_as_the_same_string(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n") == {"key": text}


def test_yaml_scalar_stays_plain_when_it_can() -> None:
    assert yaml_scalar("Daily Planet") == "Daily Planet"
    assert yaml_scalar("false") == '"false"'


def test_new_page(project: Path) -> None:
    done = new_page(project, "corrections-policy")
    assert done.path == "content/pages/corrections-policy.md"
    text = (project / done.path).read_text(encoding="utf-8")
    assert text.splitlines()[:5] == [
        "---",
        "# yaml-language-server: $schema=../../schema/page.schema.json",
        "title: Corrections policy",
        "# description: One sentence for search results and link previews.",
        "# menu: 2  # position in the site navigation; leave it out to keep the page out of the menu",
    ]
    assert problems(project) == []
    with pytest.raises(ScaffoldError, match=r"content/pages/corrections-policy\.md already exists"):
        new_page(project, "corrections-policy")
    with pytest.raises(ScaffoldError, match="taken by the site's own reports/ section"):
        new_page(project, "reports")
    with pytest.raises(ScaffoldError, match=r"'About Us' is not a valid page name.*try 'about-us'"):
        new_page(project, "About Us")


def test_cli_new_report_prints_what_it_wrote(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project.parent / "story.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    code = cli.main(["--root", str(project), "new", "report", str(source), "--publisher", "Daily Planet", "--slug", "story"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out == [
        f"Copied {source} to seeds/story.txt (quotes anchor to this copy; commit it with the report).",
        "Wrote schema/report.schema.json for editor autocompletion.",
        "Wrote content/reports/story.yaml with 4 claim stubs to choose from. Fill in the TODOs, then run: factcheck check",
    ]


def test_cli_new_refuses_with_a_message(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project.parent / "photo.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    assert cli.main(["--root", str(project), "new", "report", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {source} is not article text: it holds NUL bytes")
    assert cli.main(["--root", str(project), "new", "page", "about"]) == 1
    assert capsys.readouterr().err == "error: content/pages/about.md already exists; nothing was written\n"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "huge"])
def test_new_report_reads_only_bounded_regular_files(project: Path, tmp_path: Path, kind: str) -> None:
    """A FIFO, a device, a folder or a huge file is a clear error, and nothing hangs or is written."""
    import os

    from generator.content.files import MAX_SNAPSHOT_BYTES

    target = tmp_path / f"odd-{kind}.txt"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target = Path("/dev/zero")
    elif kind == "folder":
        target.mkdir()
    else:
        with target.open("wb") as out:
            out.truncate(MAX_SNAPSHOT_BYTES + 1)
    expected = {"fifo": "it is a FIFO", "dev-zero": "it is a device", "folder": "it is a folder", "huge": "larger than the limit of 50.0 MB"}[kind]
    with pytest.raises(ScaffoldError, match=expected):
        new_report(project, target)
    assert not list((project / "content/reports").glob("odd*"))


@pytest.mark.parametrize("name", ["a" * 81, "../../etc/x", "about\n", "About", "a/b", "-x", "x" * 300])
def test_new_page_refuses_names_that_are_not_plain_slugs(project: Path, name: str) -> None:
    with pytest.raises(ScaffoldError, match="try '"):
        new_page(project, name)
    assert sorted(p.name for p in (project / "content/pages").iterdir()) == ["about.md"]


@pytest.mark.parametrize("slug", ["a" * 81, "../x", "x\n", "X", "a b"])
def test_new_report_refuses_slugs_that_are_not_plain(project: Path, slug: str) -> None:
    (project / "seeds/planet.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match="try '"):
        new_report(project, project / "seeds/planet.txt", slug=slug)
    assert not list((project / "content/reports").glob("*"))


@pytest.mark.parametrize("name", ["bad\nid: injected.txt", 'quote".txt', "tab\there.txt", "space here.txt"])
def test_seed_name_cannot_inject_yaml(project: Path, name: str) -> None:
    (project / "seeds" / name).write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match="plain name"):
        new_report(project, project / "seeds" / name)
    assert not list((project / "content/reports").glob("*"))


def test_odd_name_outside_seeds_is_copied_under_a_plain_name(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad\nid: injected.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    done = new_report(project, source)
    text = (project / done.path).read_text(encoding="utf-8")
    assert "\nid: injected" not in text and "snapshot: seeds/bad-id-injected.txt" in text


def test_new_report_refuses_a_non_http_url(project: Path) -> None:
    with pytest.raises(ScaffoldError, match="--url"):
        new_report(project, project / "seeds/planet.txt", url="javascript:alert(1)")


def _site_with_a_link(tmp_path: Path, rel: str) -> tuple[Path, Path]:
    """A site whose `rel` folder is a link to an empty folder outside it: (root, that folder)."""
    root = write_tree(tmp_path / "site", {"content/site.yaml": "title: T\n"}, theme=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / rel).symlink_to(outside)
    return root, outside


def test_new_page_refuses_a_pages_folder_that_is_a_link(tmp_path: Path) -> None:
    root, outside = _site_with_a_link(tmp_path, "content/pages")
    with pytest.raises(ScaffoldError, match="content/pages is a symbolic link"):
        new_page(root, "about")
    assert list(outside.iterdir()) == []


def test_new_page_with_the_schema_folder_linked_writes_the_page_and_says_why_not_the_schema(tmp_path: Path) -> None:
    root, elsewhere = _site_with_a_link(tmp_path, "schema")
    done = new_page(root, "contact")
    assert (root / "content/pages/contact.md").is_file() and list(elsewhere.iterdir()) == []
    assert any("Did not write schema/page.schema.json: schema is a symbolic link" in note for note in done.notes)


def test_the_articles_furniture_is_no_stub_and_fills_the_article_fields(project: Path) -> None:
    """The masthead, the byline and the dateline were offered as claims; the article's authors and date were left blank."""
    source = project.parent / "coastal.txt"
    source.write_text(
        "The Coastal Courier\n\nOffshore wind now powers half the county\n\nBy Priya Nandakumar and Tom de Wit\nPublished Tuesday 3 March 2026\n\n"
        "Household energy bills in the county fell by 18% last year, the regulator said.\nBy 2030 the county will need twice the capacity.\n",
        encoding="utf-8",
    )
    made = new_report(project, source, publisher="Coastal Courier", url="https://courier.example/wind", today=TODAY)
    text = (project / made.path).read_text(encoding="utf-8")
    stubs = re.findall(r'#     exact: "([^"]*)"', text)
    assert stubs == [
        "Offshore wind now powers half the county",
        "Household energy bills in the county fell by 18% last year, the regulator said.",
        "By 2030 the county will need twice the capacity.",  # 'By' and a number: a claim, not a byline
    ]
    assert "  authors: [Priya Nandakumar, Tom de Wit]  # from the byline: check it\n" in text
    assert "  published: 2026-03-03  # from the dateline: check it\n" in text


@pytest.mark.parametrize(
    ("top", "authors", "published"),
    [
        ("By Ana Ruiz\nUpdated: March 4, 2026, 9:00 a.m.\n", ("Ana Ruiz",), dt.date(2026, 3, 4)),
        ("Published on 2026-02-30\nBy the numbers, rents rose.\n", (), None),  # no such day; a sentence, not a byline
    ],
)
def test_article_facts_read_bylines_and_datelines_only(top: str, authors: tuple[str, ...], published: dt.date | None) -> None:
    assert article_facts(top + "\nText.\n") == ArticleFacts(authors, published)
