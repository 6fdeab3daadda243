"""import csv (generator/importer/csvmap.py): this site's own data/claims.csv, column maps, and LIAR with the shipped map."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from generator import cli
from generator.build import BuildOptions, build, check
from generator.diagnostics import Severity
from generator.importer.csvmap import MAPS

LIAR = REPO.parent / "shared" / "corpora" / "liar"


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "import", "csv", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_own_claims_csv_needs_no_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(REPO, tmp_path / "site", BuildOptions(base_url="https://example.org/", cache=False))
    scratch = tmp_path / "scratch"
    shutil.copytree(REPO / "content", scratch / "content")
    shutil.copytree(REPO / "themes", scratch / "themes")
    shutil.rmtree(scratch / "content" / "reports")
    code, out = run(scratch, str(tmp_path / "site" / "data" / "claims.csv"), "--add-people", capsys=capsys)
    assert code == 0, out
    [path] = list((scratch / "content" / "reports").glob("*.yaml"))
    report = yaml.safe_load(path.read_text(encoding="utf-8"))
    original = next(yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "content" / "reports").glob("*.yaml"))
    assert report["id"] == original["id"] and [c["id"] for c in report["claims"]] == [c["id"] for c in original["claims"]]
    assert [c["verdict"]["rating"] for c in report["claims"]] == [c["verdict"]["rating"] for c in original["claims"]]
    assert report["article"]["url"] == original["article"]["url"]
    site, _diags = check(scratch, BuildOptions(drafts=True))
    assert len(site.claims) == len(original["claims"])


def test_a_csv_that_is_not_ours_needs_a_map(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), capsys=capsys)
    assert code == 1 and "not this generator's data/claims.csv layout (hint: describe its columns with --map MAP.yaml)" in out


def test_a_quote_left_open_is_named_not_read_as_a_row_without_rating(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input audit: the rest of the file became one field, reported as 'row without rating'."""
    (tmp_path / "x.csv").write_text('claim,rating\nRents doubled,false\n"Buses are free,true\n', encoding="utf-8")
    (tmp_path / "map.yaml").write_text("fields:\n  claim_reviewed: '{claim}'\n  rating: '{rating}'\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--dry-run", capsys=capsys)
    assert code == 1 and "x.csv:3: error: not readable as CSV: a quoted field runs to the end of the file" in out
    assert "opens a field that never closes" in out and "row without rating" not in out


def test_quotes_with_text_after_them_are_read_as_before(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """From review: a strict reading rejected what hand-made files hold (a header '"claim" ,rating', a cell '"Buses" are free')."""
    (tmp_path / "x.csv").write_text('"claim" ,rating\n"Buses" are free,true\nRents doubled,false\n', encoding="utf-8")
    (tmp_path / "map.yaml").write_text("fields:\n  claim_reviewed: '{claim }'\n  rating: '{rating}'\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--dry-run", capsys=capsys)
    assert "internal error" not in out and "not readable as CSV" not in out, out
    assert code == 0 and "Ratings mapped: 'false' ×1, 'true' ×1" in out  # both rows read (skipped later: this map gives no dates)


def test_map_mistakes_are_all_named(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,False\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("delimeter: ','\nfields:\n  claim_reviewed: '{claim|upper}'\n  rating: '{verdict}'\n  colour: x\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1
    messages = ("unknown key 'delimeter'", "unknown field 'colour'", "claim_reviewed: unknown filter 'upper'")
    messages += ("rating: no column 'verdict' (columns: claim, label)",)
    for message in messages:
        assert message in out


def test_a_mapped_csv_with_hostile_cells(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = (
        "url,claim,label,when,who\n"
        'https://c.example/1,"Rents <b>doubled</b>, ""twice""",false,2024-01-02,jane-doe\n'
        "javascript:alert(1),Bad link,true,2024-01-02,x\n"
        ",,,,\n"
        "https://c.example/3,No rating,,2024-01-02,y\n"
    )
    (tmp_path / "x.csv").write_text(rows, encoding="utf-8")
    spec = {
        "source": {"title": "Old archive", "publisher": "Us", "url": "https://c.example/"},
        "fields": {"review_url": "{url}", "article_url": "{url}", "claim_reviewed": "{claim}", "rating": "{label}"}
        | {"published": "{when}", "claimant": "{who|name}"},
    }
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    root = make_project()
    code, out = run(root, str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--add-people", capsys=capsys)
    assert code == 0, out
    assert f"{tmp_path / 'x.csv'}:3: dropped: review_url: link 'javascript:alert(1)' dropped" in out
    assert f"{tmp_path / 'x.csv'}:5: skipped: row without rating" in out and "Imported 1 report (1 claim)" in out
    report = yaml.safe_load((root / "content/reports/1.yaml").read_text(encoding="utf-8"))
    assert report["claims"][0]["claim_reviewed"] == 'Rents <b>doubled</b>, "twice"' and report["claims"][0]["claimant"]["name"] == "Jane Doe"
    assert report["sources"] == [{"id": "original-review", "title": "Old archive", "publisher": "Us", "url": "https://c.example/", "kind": "secondary"}]


def test_liar_with_the_shipped_map_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """All 12,836 LIAR statements (research-use data, read from ../shared, never copied into the repository)."""
    assert (LIAR / "train.tsv").is_file(), f"the LIAR corpus is missing: expected it in {LIAR} (CI has it at ../shared)"
    spec = __import__("importlib").util.spec_from_file_location("liar_to_content", REPO / "tools" / "liar_to_content.py")
    wrapper = __import__("importlib").util.module_from_spec(spec)
    spec.loader.exec_module(wrapper)
    root = tmp_path / "liar"
    wrapper.make_project(root)
    files = [str(LIAR / f"{split}.tsv") for split in ("train", "valid", "test")]
    code, out = run(root, *files, "--map", str(MAPS / "liar.yaml"), "--published", "--format", "json", capsys=capsys)
    assert code == 0, out[-2000:]
    assert '"reports": 12836' in out and '"unmapped": {}' in out
    # A full build takes minutes here; check runs every rule a build does before rendering.
    site, diags = check(root)
    assert len(site.claims) == 12_836 and not [d for d in diags if d.is_error]
    # No warning; among the notes (advice only), that LIAR keeps no article texts.
    unsaved = "the article's text was not saved: quotes are shown as recorded, not anchored"
    assert not [d for d in diags if d.severity is not Severity.NOTE] and unsaved in {d.message for d in diags}


@pytest.mark.parametrize("delimiter", [",,", "", '"', "\n"])
def test_a_delimiter_that_is_not_one_character_is_named(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str
) -> None:
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,False\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(yaml.safe_dump({"delimiter": delimiter, "fields": {"claim_reviewed": "{claim}"}}), encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "must be one character, not a quote or a line break" in out and "internal error" not in out


@pytest.mark.parametrize(("key", "value", "message"), [("quoting", "weird", "is not a quoting rule"), ("header", "maybe", "must be true or false")])
def test_a_misspelt_quoting_or_header_is_named(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, message: str
) -> None:
    """Read as the default instead, it would split every row the other way without a word."""
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,False\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(yaml.safe_dump({key: value, "fields": {"claim_reviewed": "{claim}"}}), encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and f"{key} '{value}' {message}" in out


def test_a_map_source_url_must_be_http(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The map's own source link obeys the rule every imported link does; nothing is written."""
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,False\n", encoding="utf-8")
    spec = {"source": {"title": "Archive", "url": "javascript:alert(1)"}, "fields": {"claim_reviewed": "{claim}"}}
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    root = make_project()
    before = sorted(p.name for p in (root / "content/reports").iterdir())
    code, out = run(root, str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "source.url 'javascript:alert(1)' is refused: it is not an http(s) URL ('javascript:' links are not allowed)" in out
    assert sorted(p.name for p in (root / "content/reports").iterdir()) == before


def test_a_date_that_is_no_date_skips_its_row_by_name(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'2025-13-45' was read as no date, and the claim's date stood in for the report's without a word."""
    (tmp_path / "x.csv").write_text("claim,label,day,said\nRents doubled,False,2025-13-45,2025-01-02\n", encoding="utf-8")
    fields = {"claim_reviewed": "{claim}", "rating": "{label}", "published": "{day}", "claim_date": "{said}", "review_url": "https://c.example/r/1"}
    (tmp_path / "map.yaml").write_text(yaml.safe_dump({"fields": fields}), encoding="utf-8")
    root = make_project()
    _code, out = run(root, str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert "x.csv:2: skipped: published '2025-13-45' is not a date" in out.replace(str(tmp_path) + "/", ""), out
    assert not any((root / "content/reports").glob("rents*"))


def test_a_claim_date_that_is_no_date_is_left_out_and_listed(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The claim's date only informs: the row is imported, the date left out, and the summary says so."""
    (tmp_path / "x.csv").write_text("claim,label,day,said\nRents doubled,False,2025-01-03,2025-01-32\n", encoding="utf-8")
    fields = {"claim_reviewed": "{claim}", "rating": "{label}", "published": "{day}", "claim_date": "{said}", "review_url": "https://c.example/r/1"}
    (tmp_path / "map.yaml").write_text(yaml.safe_dump({"fields": fields}), encoding="utf-8")
    root = make_project()
    _code, out = run(root, str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--add-people", capsys=capsys)
    assert "x.csv:2: dropped: claim_date '2025-01-32' is not a date: left out" in out.replace(str(tmp_path) + "/", ""), out
    assert "dates left out: 1." in out and "Imported 1 report" in out, out


def test_every_mistake_of_the_maps_settings_is_named_at_once_at_its_line(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One at a time, and at the map's name only: an editor fixed the map in four runs.
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,False\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("header: maybe\nquoting: all\ncolumns: 5\nfields:\n  claim_reviewed: '{claim}'\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "m.yaml"), capsys=capsys)
    assert code == 1
    assert f"{tmp_path / 'm.yaml'}:1:9: error: header 'maybe' must be true or false" in out
    assert f"{tmp_path / 'm.yaml'}:2:10: error: quoting 'all' is not a quoting rule" in out
    assert f"{tmp_path / 'm.yaml'}:3:10: error: columns '5' must be a list of column names" in out


def test_a_map_without_a_rating_is_one_error_not_one_a_row(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,False\nBuses are free,True\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("fields:\n  claim_reviewed: '{claim}'\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "m.yaml"), capsys=capsys)
    assert code == 1 and f"{tmp_path / 'm.yaml'}:1:8: error: the map needs fields.rating" in out
    assert "row without" not in out


@pytest.mark.parametrize("extra", ["1: x\n", "null: x\n", "fields:\n  1: '{claim}'\n  claim_reviewed: '{claim}'\n  rating: '{label}'\n"])
def test_a_map_key_that_is_not_text_is_named_not_an_internal_error(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    (tmp_path / "x.csv").write_text("claim,label\nRents doubled,false\n", encoding="utf-8")
    text = extra if extra.startswith("fields:") else "fields:\n  claim_reviewed: '{claim}'\n  rating: '{label}'\n" + extra
    (tmp_path / "map.yaml").write_text(text, encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "internal error" not in out
    assert f"{tmp_path / 'map.yaml'}:" in out and ("unknown key" in out or "unknown field" in out)


def test_control_characters_from_the_input_are_printed_as_escapes(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header or a cell could write escape codes to the terminal (clear the screen, set its title) in the summary."""
    (tmp_path / "x.csv").write_text("claim,label,when\x1b[2J\nRents doubled,false,\x1b]0;pwned\x07 2025\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("fields:\n  claim_reviewed: '{claim}'\n  rating: '{label}'\n  published: '{when}'\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "\x1b" not in out and "\x07" not in out
    assert "when\\x1b[2J" in out


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    """Read as UTF-8, every other byte was a NUL: the columns were printed with raw NULs in 'no column' errors."""
    (tmp_path / "x.csv").write_bytes("claim,label\nRents doubled,false\n".encode(encoding))
    (tmp_path / "map.yaml").write_text("fields:\n  claim_reviewed: '{claim}'\n  rating: '{label}'\n", encoding="utf-8")
    code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert code == 1 and "\0" not in out
    assert f"{tmp_path / 'x.csv'}:1:" in out and "a NUL byte" in out and "UTF-16" in out


def test_a_column_named_twice_in_the_header_is_an_error_when_the_map_uses_it(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last of two 'claim' columns was used without a word: the claim imported was the wrong cell."""
    (tmp_path / "x.csv").write_text("claim,label,claim,notes,notes\nRents doubled,false,Other text,a,b\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("fields:\n  claim_reviewed: '{claim}'\n  rating: '{label}'\n", encoding="utf-8")
    root = make_project()
    code, out = run(root, str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--dry-run", capsys=capsys)
    assert code == 1, out
    assert f"{tmp_path / 'x.csv'}:1: error: column 'claim' is in the header twice (columns 1 and 3)" in out
    assert "notes" not in out  # a repeated column the map does not use is harmless
    (tmp_path / "map.yaml").write_text("columns: [claim, label, claim]\nfields:\n  claim_reviewed: '{claim}'\n  rating: '{label}'\n", encoding="utf-8")
    code, out = run(root, str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), "--dry-run", capsys=capsys)
    assert code == 1 and f"{tmp_path / 'map.yaml'}:1:10: error: column 'claim' is in columns: twice (columns 1 and 3)" in out


def test_a_cell_past_the_csv_limit_is_named_as_such(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Python's 'field larger than field limit (131072)' came with a hint about the delimiter."""
    (tmp_path / "x.csv").write_text("claim,label\n" + "a" * 140_000 + ",False\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(yaml.safe_dump({"fields": {"claim_reviewed": "{claim}", "rating": "{label}"}}), encoding="utf-8")
    _code, out = run(make_project(), str(tmp_path / "x.csv"), "--map", str(tmp_path / "map.yaml"), capsys=capsys)
    assert "x.csv:2: error: a cell is longer than 128 KiB (hint: no claim needs so long a cell: is a quote left open above?)" in out.replace(
        str(tmp_path) + "/", ""
    ), out
