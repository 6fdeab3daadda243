"""Loading: YAML syntax errors, encodings, front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.load import discover, parse_yaml, read_snapshot, read_text, split_front_matter
from generator.diagnostics import Diagnostic


def test_syntax_error_points_at_line_and_column() -> None:
    diags: list[Diagnostic] = []
    doc = parse_yaml("r.yaml", "id: a\ntitle: x: y\n", diags)
    assert doc.node is None
    assert (diags[0].line, diags[0].col) == (2, 9)
    assert diags[0].message == "YAML syntax error: ': ' inside a value that is not in quotes"
    assert diags[0].hint == 'put the value in quotes: title: "x: y"'


def test_a_windows_path_in_double_quotes_gets_a_hint() -> None:
    diags: list[Diagnostic] = []
    parse_yaml("r.yaml", 'id: x\nsnapshot: "seeds\\sample.txt"\n', diags)
    assert [(d.line, d.col) for d in diags] == [(2, 17)] and "write paths with '/'" in diags[0].hint


def test_tabs_get_a_hint() -> None:
    diags: list[Diagnostic] = []
    parse_yaml("r.yaml", "id: a\n\ttitle: x\n", diags)
    assert diags and diags[0].line == 2


def test_non_utf8_file_names_the_byte_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"id: a\ntitle: caf\xe9\n")
    diags: list[Diagnostic] = []
    assert read_text(tmp_path, "x.yaml", diags) is None
    assert diags[0].line == 2 and "not UTF-8" in diags[0].message and "0xe9" in diags[0].message


@pytest.mark.parametrize(("encoding", "named"), [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")])
def test_a_file_in_another_unicode_encoding_is_named_by_its_byte_order_mark(tmp_path: Path, encoding: str, named: str) -> None:
    """UTF-32's little-endian mark starts with UTF-16's: such a file was called UTF-16."""
    (tmp_path / "x.yaml").write_bytes(("\ufeffid: a\n").encode(encoding))
    diags: list[Diagnostic] = []
    assert read_text(tmp_path, "x.yaml", diags) is None
    assert [(d.line, d.col, d.message) for d in diags] == [(1, 1, f"file is {named} text, not UTF-8")]


def test_bom_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes("\ufeffid: a\n".encode())
    assert read_text(tmp_path, "x.yaml", []) == "id: a\n"


def test_front_matter_lines_are_offset() -> None:
    diags: list[Diagnostic] = []
    _front, body = split_front_matter("p.md", "---\ntitle: A\nmenu: [\n---\nBody\n", diags)
    assert body == "Body\n"
    assert diags and diags[0].path == "p.md" and diags[0].line >= 3


def test_unclosed_front_matter_is_reported() -> None:
    diags: list[Diagnostic] = []
    split_front_matter("p.md", "---\ntitle: A\n", diags)
    assert "not closed" in diags[0].message


def test_empty_front_matter_is_named_not_an_empty_file() -> None:
    diags: list[Diagnostic] = []
    _front, body = split_front_matter("p.md", "---\n  \n---\nbody\n", diags)
    assert [(d.line, d.col, d.message) for d in diags] == [(2, 1, "the front matter is empty")] and body == "body\n"


def test_missing_front_matter_is_reported() -> None:
    diags: list[Diagnostic] = []
    split_front_matter("p.md", "# Title\n", diags)
    assert "must start with '---'" in diags[0].message
    assert diags[0].hint == "add three lines at the top: '---', then 'title: ...', then '---'"  # no escaped \n shown to the editor


def test_project_files_are_found_sorted_and_hidden_files_ignored(tmp_path: Path) -> None:
    (tmp_path / "content/reports").mkdir(parents=True)
    (tmp_path / "content/site.yaml").write_text("title: x\n")
    for name in ("b.yaml", "a.yaml", ".#a.yaml", "notes.txt"):
        (tmp_path / "content/reports" / name).write_text("id: x\n")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds/s.txt").write_bytes(b"text")
    found = discover(tmp_path)
    assert list(found.reports) == ["content/reports/a.yaml", "content/reports/b.yaml"]
    assert list(found.snapshots) == ["seeds/s.txt"]
    assert read_snapshot(tmp_path, "seeds/s.txt", []) == b"text"


def test_reports_in_subfolders_are_found_and_yml_is_flagged(tmp_path: Path) -> None:
    (tmp_path / "content/reports/2026").mkdir(parents=True)
    (tmp_path / "content/site.yaml").write_text("title: x\n")
    (tmp_path / "content/reports/2026/a.yaml").write_text("id: a\n")
    (tmp_path / "content/reports/b.yml").write_text("id: b\n")
    found = discover(tmp_path)
    assert list(found.reports) == ["content/reports/2026/a.yaml"]
    assert [(d.path, d.severity.value, d.hint) for d in found.diagnostics] == [("content/reports/b.yml", "warning", "rename it to b.yaml")]


def test_report_and_page_names_that_mean_yaml_or_md_but_are_not_are_flagged(tmp_path: Path) -> None:
    """The hostile-input audit: these vanished from the site without a word."""
    (tmp_path / "content/reports").mkdir(parents=True)
    (tmp_path / "content/pages").mkdir(parents=True)
    for name in ("a.YAML", "b.yaml ", "c.Yml", "d.yaml", "notes.txt"):
        (tmp_path / "content/reports" / name).write_text("id: x\n")
    for name in ("about.MD", "team.markdown", "index.md"):
        (tmp_path / "content/pages" / name).write_text("---\ntitle: x\n---\n")
    found = discover(tmp_path)
    assert found.reports == ("content/reports/d.yaml",) and found.pages == ("content/pages/index.md",)
    assert [(d.path, d.message, d.hint) for d in found.diagnostics] == [
        ("content/reports/a.YAML", "ignored: reports must end in .yaml", "rename it to a.yaml"),
        ("content/reports/b.yaml ", "ignored: reports must end in .yaml", "rename it to b.yaml"),
        ("content/reports/c.Yml", "ignored: reports must end in .yaml", "rename it to c.yaml"),
        ("content/pages/about.MD", "ignored: pages must end in .md", "rename it to about.md"),
        ("content/pages/team.markdown", "ignored: pages must end in .md", "rename it to team.md"),
    ]


def test_a_reports_folder_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/reports").write_text("id: x\n")
    [problem] = discover(tmp_path).diagnostics
    assert problem.is_error and problem.message == "content/reports is a file, not a folder: nothing in it is read"


def test_a_report_file_name_that_is_not_utf8_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """Bytes from another system's encoding in a file name: named with \\xNN in an error, never read as a report."""
    import os

    from generator.diagnostics import format_text

    reports = tmp_path / "content" / "reports"
    reports.mkdir(parents=True)
    (reports / "good.yaml").write_text("id: good\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(reports), b"bad\xff.yaml"), "w", encoding="utf-8") as out:
        out.write("id: bad\n")
    found = discover(tmp_path)
    assert found.reports == ("content/reports/good.yaml",)
    assert format_text(found.diagnostics).splitlines()[0] == "content/reports/bad\\xff.yaml: error: file name is not UTF-8 text"


def test_node_tags_are_those_of_pyyamls_safe_loader() -> None:
    # The loader resolves tags its own quicker way; every kind of plain scalar must get the tag PyYAML gives it.
    import yaml

    text = (
        "a: ~\nb: null\nc: Null\nd: ''\ne:\nf: true\ng: No\nh: on\ni: 12\nj: -0x1F\nk: 0o17\nl: 1_000\nm: 3.5e3\n"
        "n: .inf\no: -.NaN\np: 2026-12-03\nq: 2026-12-03T10:00:00Z\nr: '12'\ns: \"true\"\nt: plain text\nu: <<\n"
        "v: [1, x, 2.0, false, !!str 3]\nw: {y: =, z: +1}\nx: &anchor 7\ny: *anchor\nz: |\n  12\n"
    )

    def tags(node: yaml.Node) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        if isinstance(node, yaml.SequenceNode):
            return [node.tag, *(tag for item in node.value for tag in tags(item))]
        return [node.tag, *(tag for key, value in node.value for tag in [*tags(key), *tags(value)])]

    ours = parse_yaml("x.yaml", text, []).node
    assert ours is not None
    assert tags(ours) == tags(yaml.compose(text, Loader=yaml.SafeLoader))
    assert "tag:yaml.org,2002:timestamp" in tags(ours) and "tag:yaml.org,2002:null" in tags(ours)


def test_a_folder_that_cannot_be_listed_is_an_error_not_an_empty_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable content/reports/ (mode 000, another user's) was read as empty: the build passed and published no report."""
    import os

    from generator.content import load

    for rel in ("content/reports/2026/a.yaml", "content/pages/about.md", "seeds/s.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n")
    refused, real = {tmp_path / "content/reports/2026", tmp_path / "seeds"}, os.scandir

    def scandir(path: Path) -> object:
        if Path(path) in refused:  # as for a folder of mode 000, whatever the user running the tests
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(load.os, "scandir", scandir)
    found = discover(tmp_path)
    assert found.reports == () and found.pages == ("content/pages/about.md",)
    assert [(d.path, d.severity.value, d.message) for d in found.diagnostics] == [
        ("content/reports/2026", "error", "cannot read the folder: Permission denied"),
        ("seeds", "error", "cannot read the folder: Permission denied"),
    ]
