"""`factcheck init`: a new site that checks, builds and previews at once, placeholders flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cli
from generator.build import build, check
from generator.diagnostics import format_text
from generator.editors.init import InitError, init_site, skeleton_files

PLACEHOLDERS = """\
content/pages/about.md:6:1: warning: placeholder text: "TODO: say who you are, who funds you, and how readers can s…"
content/pages/corrections-policy.md:6:1: warning: placeholder text: "TODO: explain how readers report a mistake and how you corr…"
content/pages/methodology.md:6:1: warning: placeholder text: "TODO: explain how you choose the claims you check, how you …"
content/people.yaml:4:10: warning: placeholder text: "TODO: the name of a writer"
content/people.yaml:7:10: warning: placeholder text: "TODO: the name of a reviewer"
content/reports/sample-libraries.yaml:7:11: warning: placeholder text: "TODO: this sample report shows the format; replace it with …"
content/site.yaml:6:15: warning: placeholder text: "TODO: one sentence saying who you are and what you check"
content/site.yaml:10:3: note: base_url: base_url is not set: `build` warns about it (and `build --strict` fails) unless it is given --base-url
content/site.yaml:12:10: warning: placeholder text: "TODO: your organisation's name"\
"""


def test_new_site_checks_with_each_placeholder_named(tmp_path: Path) -> None:
    """Every placeholder is a warning at its line; nothing else is wrong with the new site (base_url is left to the Pages workflow, noted)."""
    init_site(tmp_path / "s", title="Riverside Checks")
    _site, diagnostics = check(tmp_path / "s")
    shown = "\n".join(line for line in format_text(diagnostics).splitlines() if not line.startswith("    hint:"))
    assert shown == PLACEHOLDERS
    assert all(d.hint == "write your own text in its place; `--strict` refuses to publish placeholders" for d in diagnostics if d.field != "base_url")


def test_new_site_builds_with_the_packaged_theme(tmp_path: Path) -> None:
    """No themes/ folder is written: the packaged default theme renders the site."""
    done = init_site(tmp_path / "s", title="Riverside Checks", language="fr")
    assert not (tmp_path / "s" / "themes").exists()
    assert ".github/workflows/check.yml" in done.written and ".gitignore" in done.written
    result = build(tmp_path / "s", tmp_path / "out")
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Riverside Checks" in home and '<html lang="fr"' in home
    assert (tmp_path / "out" / "reports" / "sample-libraries" / "index.html").is_file()
    assert len(result.site.reports) == 1


def test_title_and_language_are_written_as_yaml(tmp_path: Path) -> None:
    """A title needing quotes is quoted; the language lands in `language:`."""
    site = skeleton_files('Fact: "checked"', "pt-BR")["content/site.yaml"]
    assert 'title: "Fact: \\"checked\\""\n' in site
    assert "language: pt-BR\n" in site


def test_a_title_check_would_refuse_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """init wrote a site that failed its own check (hostile-input audit F20)."""
    with pytest.raises(InitError, match=r"--title: contains an invisible control character \(U\+001B\)"):
        init_site(tmp_path / "site", title="\x1b[31mred")
    assert not (tmp_path / "site").exists()
    # Read as `check` reads site.yaml: a title over its limit, or with a bidirectional override, was written all the same.
    with pytest.raises(InitError, match=r"--title: is 300 characters long, over the limit of 200"):
        init_site(tmp_path / "site", title="x" * 300)
    with pytest.raises(InitError, match=r"--title: contains a bidirectional override \(U\+202E\)"):
        init_site(tmp_path / "site", title="\u202eevil")
    assert not (tmp_path / "site").exists()


def test_generated_ci_is_strict_and_points_at_the_published_package(tmp_path: Path) -> None:
    """The workflows refuse placeholders (--strict) and install this version of the package."""
    from generator import __version__

    files = skeleton_files("T", "en")
    assert "factcheck check --strict --format github" in files[".github/workflows/check.yml"]
    assert "factcheck build --strict --out _site" in files[".github/workflows/pages.yml"]
    assert f'pip install "factcheck-ssg=={__version__}"' in files[".github/workflows/pages.yml"]
    assert all("docs/" not in text for text in files.values()), "comments must point at `factcheck docs`, not this repository's files"


def test_gitignore_covers_everything_builds_leave_in_the_site_folder(tmp_path: Path) -> None:
    """`git add -A` after a few builds stages no built file: site/, the cache and the site kept beside it."""
    import fnmatch

    root = tmp_path / "s"
    init_site(root, title="Riverside Checks")
    before = {p.name for p in root.iterdir()}
    build(root, root / "site")
    build(root, root / "site")  # the second build keeps the first beside it, as .site.previous/
    made = {p.name for p in root.iterdir()} - before
    assert {"site", ".cache", ".site.previous"} <= made
    patterns = [line.rstrip("/") for line in (root / ".gitignore").read_text().splitlines() if line and not line.startswith("#")]
    assert [name for name in made if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)] == []
    assert all(fnmatch.fnmatch(name, pattern) for name, pattern in ((".site.staging-x1", ".site.staging-*"), (".site.old", ".site.old")))


def test_refuses_a_non_empty_folder_and_never_overwrites(tmp_path: Path) -> None:
    """Without --force a non-empty folder is refused; with it, existing files are kept as they are."""
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "content").mkdir()
    (tmp_path / "s" / "content" / "site.yaml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(InitError, match="is not empty"):
        init_site(tmp_path / "s")
    done = init_site(tmp_path / "s", force=True)
    assert done.kept == ("content/site.yaml",)
    assert (tmp_path / "s" / "content" / "site.yaml").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "s" / "content" / "people.yaml").is_file()


def test_force_leaves_the_sample_out_of_a_site_with_reports(tmp_path: Path) -> None:
    """The guide has the sample deleted once read: `init --force` in that site must not bring it back."""
    init_site(tmp_path / "s")
    (tmp_path / "s/content/reports/sample-libraries.yaml").unlink()
    (tmp_path / "s/seeds/sample-article.txt").unlink()
    (tmp_path / "s/.gitignore").unlink()
    done = init_site(tmp_path / "s", force=True)
    assert done.written == (".gitignore",)
    assert not (tmp_path / "s/content/reports/sample-libraries.yaml").exists() and not (tmp_path / "s/seeds/sample-article.txt").exists()


def test_cli_init_output(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The command says what it wrote and what to do next; a second run is refused."""
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "newsroom"]) == 0
    assert capsys.readouterr().out == (
        "Created a new site in newsroom: 17 files written.\n"
        "Next:\n"
        "  cd newsroom\n"
        "  factcheck check     lists the placeholders (TODO:) to replace\n"
        "  factcheck serve     preview at http://127.0.0.1:8000/\n"
        "  factcheck docs start   the guide: from here to a published site\n"
    )
    assert cli.main(["init", "newsroom"]) == 1
    assert capsys.readouterr().err == (
        "error: newsroom is not empty; choose a new folder, or pass --force to add the files that are missing (none is overwritten)\n"
    )


def test_init_takes_the_language_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    """--language is written to site.yaml in its usual casing; a tag CLDR does not know is refused before any file is written."""
    init_site(tmp_path / "es", title="Verificado", language="pt-br")
    assert "language: pt-BR" in (tmp_path / "es" / "content/site.yaml").read_text(encoding="utf-8")
    with pytest.raises(InitError, match="unknown language 'qq'"):
        init_site(tmp_path / "qq", language="qq")
    assert not (tmp_path / "qq").exists()
    with pytest.raises(InitError, match=r"^--language: 'es\\x1b\[31m' is not a language tag"):  # written out, not sent to the terminal
        init_site(tmp_path / "qq", language="es\x1b[31m")
    with pytest.raises(InitError, match="--language is empty"):  # it made an English site without a word
        init_site(tmp_path / "qq", language=" ")


def test_the_workflows_can_install_factcheck_from_elsewhere(tmp_path: Path) -> None:
    """`init --requirement SPEC`: a newsroom that installs factcheck from its own git copy gets workflows that do so."""
    spec = "factcheck-ssg @ git+https://github.com/example-newsroom/factcheck@v0.1.0"
    assert cli.main(["init", str(tmp_path / "s"), "--requirement", spec, "-q"]) == 0
    for workflow in ("check.yml", "pages.yml"):
        assert f'pip install "{spec}"' in (tmp_path / "s/.github/workflows" / workflow).read_text(encoding="utf-8")
    for bad in ('x" && curl evil', "x$(id)", "a\nb", ""):
        with pytest.raises(InitError, match="--requirement"):
            init_site(tmp_path / "t", requirement=bad)
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("where", ["a-file/site", "x" * 300])
def test_init_where_no_folder_can_be_made_is_an_error_not_a_crash(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    with pytest.raises(InitError, match="cannot make a site in"):
        init_site(tmp_path / where)


def test_init_force_refuses_a_link_where_it_would_write(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (target / ".vscode").symlink_to(outside)
    with pytest.raises(InitError, match=r"\.vscode is a symbolic link"):
        init_site(target, force=True)
    assert list(outside.iterdir()) == []


def test_init_force_keeps_a_link_in_a_files_place_and_checks_every_folder_before_writing(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "real.txt").write_text("mine", encoding="utf-8")
    (target / ".gitignore").symlink_to("real.txt")  # an existing file, link or not, is kept: creating never follows it
    done = init_site(target, force=True)
    assert ".gitignore" in done.kept and (target / "real.txt").read_text(encoding="utf-8") == "mine"
    second = tmp_path / "second"
    second.mkdir()
    (second / ".github").symlink_to(tmp_path / "outside")
    with pytest.raises(InitError, match=r"\.github is a symbolic link"):
        init_site(second, force=True)
    assert sorted(p.name for p in second.iterdir()) == [".github"]  # nothing written before the refusal
