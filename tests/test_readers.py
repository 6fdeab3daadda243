"""Reading inputs (generator/importer/readers.py): JSON, ld+json scripts of pages, folders, safe YAML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import DATA
from generator.importer.readers import expand, json_ld_scripts, read_documents, read_yaml


def test_pages_yield_each_json_ld_script_with_its_line() -> None:
    docs = list(read_documents(DATA / "import" / "publishers" / "wp-plugin-mayor-budget.html"))
    assert [origin.rsplit(":", 1)[1] for origin, _value, _problem in docs] == ["6", "8"]
    assert all(problem is None for _o, _v, problem in docs)
    assert isinstance(docs[1][1], dict) and docs[1][1]["@type"] == ["ClaimReview"]


def test_a_broken_script_does_not_hide_the_others(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<p>x</p>\n<script type="application/ld+json">{oops</script>\n<script type="application/ld+json">[1]</script>', encoding="utf-8")
    docs = list(read_documents(page))
    assert docs[0][2] is not None and docs[0][2].origin == f"{page}:2:37" and not docs[0][2].fatal
    assert docs[1][1] == [1]


@pytest.mark.parametrize(
    ("page", "scripts"),
    [
        ('<SCRIPT TYPE="application/ld+json; charset=utf-8">\n[1]</SCRIPT >', [(1, 50, "\n[1]")]),
        ("<p>\n<script type='application/ld+json'>{}</script><script type=application/ld+json>[2]</script>", [(2, 35, "{}"), (2, 79, "[2]")]),
        # Hidden in a comment, or written inside another script's text: not a script of the page.
        ('<!-- <script type="application/ld+json">[0]</script> -->x<script type="application/ld+json">[3]</script>', [(1, 92, "[3]")]),
        ("<script>s = '<script type=\"application/ld+json\">[9]</scr' + 'ipt>';</script><script type=\"application/ld+json\">[4]</script>", [(1, 111, "[4]")]),
        ('<div title="a>b"><script data-x="1>2" type="application/ld+json">\n\n  [5]\n</script>', [(1, 65, "\n\n  [5]\n")]),
        ('<style>p{}</style>\n\n<script type="application/ld&#43;json">[6]</script>', [(3, 39, "[6]")]),
        ('<script type="application/ld+json"></script>', [(1, 0, "")]),
        ('<script type="text/javascript">[7]</script><scripts type="application/ld+json">[8]</scripts>', []),
        # Inside a textarea, the title or another raw-text element, a <script> is text to a browser (html.parser found it).
        ('<textarea><script type="application/ld+json">[a]</script></textarea><script type="application/ld+json">[b]</script>', [(1, 103, "[b]")]),
        ('<TITLE x><script type="application/ld+json">[c]</script></title><noscript><script type="application/ld+json">[d]</script></noscript>', []),
        ('<plaintext><script type="application/ld+json">[e]</script>', []),
    ],
)
def test_json_ld_scripts_are_found_as_a_browser_finds_them(page: str, scripts: list[tuple[int, int, str]]) -> None:
    """As Python's html.parser found them (these cases were compared with it), with the line and column their text starts at."""
    assert json_ld_scripts(page) == scripts


@pytest.mark.parametrize("hostile", ["<!--" * 100_000, "</" * 200_000, "<a " * 100_000, '<script type="application/ld+json">' + "</scrip" * 100_000])
def test_pages_html_parser_is_quadratic_on_are_read_in_one_pass(hostile: str) -> None:
    """The hostile-input audit: Python's html.parser took about 90 s on 400 KB of such a page (CVE-2025-6069)."""
    assert json_ld_scripts(hostile) == []


def test_folders_expand_to_their_json_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.json", "a/y.HTML", "a/z.txt", "b.jsonld"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    files, problems = expand([tmp_path, tmp_path / "missing"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a/x.json", "a/y.HTML", "b.jsonld"]
    assert [(p.message, p.fatal) for p in problems] == [("no such file or folder", True)]


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_bytes(b'{"a": "caf\xe9"}')
    [(_origin, value, problem)] = list(read_documents(tmp_path / "x.json"))
    assert value is None and problem is not None and problem.message == "not UTF-8 text (byte 0xe9)" and problem.origin.endswith("x.json:1:11")
    (tmp_path / "u.json").write_bytes("{}".encode("utf-16"))  # a spreadsheet's "Unicode text"
    [(_origin, value, problem)] = list(read_documents(tmp_path / "u.json"))
    assert problem is not None and problem.message == "UTF-16 text, not UTF-8" and problem.origin.endswith("u.json:1:1")
    (tmp_path / "u32.json").write_bytes("{}".encode("utf-32"))  # its mark starts with UTF-16's
    [(_origin, value, problem)] = list(read_documents(tmp_path / "u32.json"))
    assert problem is not None and problem.message == "UTF-32 text, not UTF-8"


def test_a_fifo_or_a_device_is_not_said_to_be_missing(tmp_path: Path) -> None:
    """The hostile-input audit: `import claimreview /dev/zero` said 'no such file or folder'."""
    os.mkfifo(tmp_path / "pipe.json")
    files, problems = expand([tmp_path / "pipe.json", Path("/dev/zero")])
    assert files == [] and [(p.message, p.fatal) for p in problems] == [("not a file or a folder", True)] * 2


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("a: &x [1, 2]\nb: *x\n", encoding="utf-8")
    value, problem = read_yaml(tmp_path / "m.yaml")
    assert value is None and problem is not None and problem.origin.endswith("m.yaml:2:4")
    (tmp_path / "m.yaml").write_text("a: [1\n", encoding="utf-8")
    assert read_yaml(tmp_path / "m.yaml")[1] is not None


def test_a_number_of_thousands_of_digits_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """Python refuses to read an integer of over 4,300 digits: JSON and YAML inputs say so."""
    from generator.importer.readers import parse_json

    value, problem = parse_json('{"name": "x",\n "ratingValue": ' + "9" * 5000 + "}", "feed.json")
    assert value is None and problem is not None and problem.fatal
    assert (problem.origin, problem.message) == ("feed.json:2:17", "not readable JSON: a number of 5,000 digits")
    assert "sys.set_int_max_str_digits" not in problem.hint  # Python's advice, not the editor's
    (tmp_path / "m.yaml").write_text("x: " + "9" * 5000 + "\n", encoding="utf-8")
    value, problem = read_yaml(tmp_path / "m.yaml")
    assert value is None and problem is not None and "not readable YAML" in problem.message


def test_a_lone_surrogate_is_located_past_an_escaped_backslash() -> None:
    """'C:\\\\ud800' is a backslash and text; the half pair is the later escape."""
    from generator.importer.readers import parse_json

    value, problem = parse_json('{"a": "C:\\\\ud800 path",\n "b": "x\\udc00y"}', "f.json")
    assert value is None and problem is not None
    assert problem.origin == "f.json:2:9" and "\\udc00 is half of a UTF-16 surrogate pair" in problem.message


def test_a_mistake_in_a_json_ld_script_is_at_its_place_in_the_page(tmp_path: Path) -> None:
    # The column was counted from the script's first character, not the line's: 3:26 for a mistake at 3:75.
    page = tmp_path / "review.html"
    page.write_text(
        '<html>\n<body>\n<p>filler</p> <script type="application/ld+json">{"@type": "ClaimReview", oops}</script>\n'
        '<script type="application/ld+json">\n{"a": 1,\n "b": oops}</script></body></html>\n',
        encoding="utf-8",
    )
    found = [problem.origin for _, _, problem in read_documents(page) if problem is not None]
    assert found == [f"{page}:3:75", f"{page}:6:7"]


def test_a_character_yaml_refuses_is_located_on_one_line(tmp_path: Path) -> None:
    """An escape code in a map was 'not valid YAML: ... in "<unicode string>", position 41' over two lines, with no line."""
    (tmp_path / "m.yaml").write_text("fields:\n  rating: '{label}'\n  x\x1b[2J: 1\n", encoding="utf-8")
    value, problem = read_yaml(tmp_path / "m.yaml")
    assert value is None and problem is not None and problem.fatal
    assert problem.origin == f"{tmp_path / 'm.yaml'}:3:4"
    assert problem.message == "contains an invisible control character (U+001B)" and "\n" not in problem.message  # check's words


def test_a_map_that_gives_a_label_twice_is_refused_at_the_second(tmp_path: Path) -> None:
    """YAML keeps the last: 'Pants on Fire!' was imported as true without a word."""
    (tmp_path / "m.yaml").write_text('Pants on Fire!: "false"\nPants on Fire!: "true"\n', encoding="utf-8")
    value, problem = read_yaml(tmp_path / "m.yaml", as_text=True)
    assert value is None and problem is not None and problem.fatal
    assert (problem.origin, problem.message) == (f"{tmp_path / 'm.yaml'}:2:1", "'Pants on Fire!' is written twice (first at line 1)")


def test_a_map_is_read_with_checks_parser_its_values_as_written(tmp_path: Path) -> None:
    """A tab before a comment (libyaml accepts it, PyYAML's own parser did not); `false` as text with as_text."""
    (tmp_path / "m.yaml").write_text("Pants on Fire!: false\t# mapped\nheader: no\n", encoding="utf-8")
    assert read_yaml(tmp_path / "m.yaml", as_text=True) == ({"Pants on Fire!": "false", "header": "no"}, None)
    assert read_yaml(tmp_path / "m.yaml") == ({"Pants on Fire!": False, "header": False}, None)


def test_nan_and_infinity_are_refused_at_their_place_as_json_mistakes() -> None:
    """Python's json reads them (claim text 'nan', a label 'inf'); JSON has no such values."""
    from generator.importer.readers import parse_json

    value, problem = parse_json('{"claimReviewed": "NaN \\" words",\n "x": -Infinity}', "feed.json")
    assert value is None and problem is not None
    assert (problem.origin, problem.message) == ("feed.json:2:7", "not valid JSON: -Infinity is not a JSON value")
