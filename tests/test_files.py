"""The file rule: only regular files inside the project, of bounded size, are read, built or served."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, SITE_YAML
from generator.content import files
from generator.content.files import read_outside_file, read_project_file, refusal, static_files
from generator.diagnostics import BuildFailed, Diagnostic

SECRET = "TOP-SECRET-CI-TOKEN-1234"
COMMANDS = (["check"], ["build"], ["build", "--drafts"])


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line on `root`, with this tree's package."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args], capture_output=True, text=True, timeout=60, env=env)


def secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(f"{SECRET}\nrents in Metropolis have doubled since 2015\n", encoding="utf-8")
    return outside


def assert_refused(root: Path, expected: str) -> None:
    """Every command fails with `expected` in its output, no traceback, no secret, nothing published."""
    for command in COMMANDS:
        result = run(root, *command)
        output = result.stdout + result.stderr
        assert result.returncode == 1, (command, output)
        assert expected in output, (command, output)
        assert "Traceback" not in output and SECRET not in output
        assert not (root / "site").exists() or SECRET not in "".join(p.read_text("utf-8", "replace") for p in (root / "site").rglob("*") if p.is_file())


def test_snapshot_linked_outside_is_refused_not_published(make_project: Callable[..., Path], tmp_path: Path) -> None:
    from conftest import REPORT_YAML

    published = REPORT_YAML.replace("snapshot: seeds/planet.txt", "snapshot: seeds/planet.txt\n  publish_text: true")
    root = make_project({"content/reports/planet-rents.yaml": published})
    (root / "seeds/planet.txt").unlink()
    (root / "seeds/planet.txt").symlink_to(secret_file(tmp_path))
    assert_refused(root, "seeds/planet.txt:1:1: error: refused: it is a symbolic link to a file outside the project")
    assert_refused(root, "article.snapshot: snapshot 'seeds/planet.txt' was refused (see the error on seeds/planet.txt)")
    assert "not found" not in run(root, "check").stderr


@pytest.mark.parametrize("rel", ["content/reports/planet-rents.yaml", "content/pages/about.md", "content/people.yaml", "content/site.yaml"])
def test_content_file_linked_outside_is_not_quoted(make_project: Callable[..., Path], tmp_path: Path, rel: str) -> None:
    root = make_project()
    (root / rel).unlink()
    (root / rel).symlink_to(secret_file(tmp_path))
    assert_refused(root, f"{rel}:1:1: error: refused: it is a symbolic link to a file outside the project")


@pytest.mark.parametrize("hidden", [".git/config", ".env", ".cache/factcheck/notes.txt"])
def test_snapshot_linked_into_a_hidden_place_of_the_project_is_refused(make_project: Callable[..., Path], hidden: str) -> None:
    """actions/checkout leaves CI's token in .git/config, inside the project: a link there must not publish it."""
    from conftest import REPORT_YAML

    published = REPORT_YAML.replace("snapshot: seeds/planet.txt", "snapshot: seeds/planet.txt\n  publish_text: true")
    root = make_project({"content/reports/planet-rents.yaml": published})
    secret = root / hidden
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"{SECRET}\n" + (root / "seeds/planet.txt").read_text("utf-8"), encoding="utf-8")
    (root / "seeds/planet.txt").unlink()
    (root / "seeds/planet.txt").symlink_to(os.path.relpath(secret, root / "seeds"))
    assert_refused(root, "seeds/planet.txt:1:1: error: refused: it is, or links to, a hidden file or folder")


def test_well_known_and_other_hidden_static_folders_are_published(make_project: Callable[..., Path]) -> None:
    """Only a link into a hidden place, or a file in one at the project's top, is refused: a theme's own static/.vite/ is its asset."""
    root = make_project()
    (root / "themes/default/static/.well-known").mkdir(parents=True)
    (root / "themes/default/static/.well-known/security.txt").write_text("Contact: mailto:desk@example.org\n", encoding="utf-8")
    (root / "themes/default/static/.vite").mkdir(parents=True)
    (root / "themes/default/static/.vite/manifest.json").write_text("{}", encoding="utf-8")
    assert run(root, "build").returncode == 0
    assert (root / "site/static/.well-known/security.txt").read_text("utf-8").startswith("Contact:")
    assert (root / "site/static/.vite/manifest.json").read_text("utf-8") == "{}"


def test_link_inside_the_project_is_fine(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "seeds/real.txt").write_bytes((root / "seeds/planet.txt").read_bytes())
    (root / "seeds/planet.txt").unlink()
    (root / "seeds/planet.txt").symlink_to("real.txt")
    assert run(root, "build").returncode == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_report_is_refused_without_hanging(make_project: Callable[..., Path]) -> None:
    root = make_project()
    os.mkfifo(root / "content/reports/fifo.yaml")
    os.mkfifo(root / "seeds/pipe.txt")
    assert_refused(root, "content/reports/fifo.yaml:1:1: error: refused: not a regular file (it is a FIFO)")
    assert "seeds/pipe.txt:1:1: error: refused: not a regular file (it is a FIFO)" in run(root, "check").stderr


def test_device_linked_from_seeds_is_refused(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "seeds/zero.txt").symlink_to("/dev/zero")
    assert_refused(root, "seeds/zero.txt:1:1: error: refused: it is a symbolic link to a file outside the project")


def test_file_over_the_size_limit_gives_one_error(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/reports/huge.yaml": "x" * 1001})
    diags: list[Diagnostic] = []
    assert read_project_file(root, "content/reports/huge.yaml", diags, limit=1000) is None
    assert [(d.line, d.col, d.message) for d in diags] == [(1, 1, "file is 1001 bytes, over the limit of 1000 bytes")]


def test_report_too_large_is_one_error_through_check(make_project: Callable[..., Path]) -> None:
    root = make_project()
    with (root / "content/reports/huge.yaml").open("wb") as out:
        out.truncate(files.MAX_TEXT_BYTES + 1)  # sparse: cheap to make
    result = run(root, "check")
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["content/reports/huge.yaml:1:1: error: file is 10.0 MB, over the limit of 10.0 MB"]


def test_refusal_reasons(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "dangling").symlink_to("nowhere")
    assert refusal(tmp_path, "dir") == ""
    assert "loop" in refusal(tmp_path, "loop")
    assert "not found" in refusal(tmp_path, "dangling")
    assert "outside" in refusal(tmp_path, os.path.relpath("/etc/passwd", tmp_path))
    diags: list[Diagnostic] = []
    assert read_project_file(tmp_path, "dir", diags) is None and "it is a folder" in diags[0].message


def test_static_files_refuse_links_leaving_the_project(tmp_path: Path) -> None:
    static = tmp_path / "project/themes/t/static"
    static.mkdir(parents=True)
    (static / "ok.css").write_text("a{}")
    (static / ".hidden").write_text("x")
    (static / "inner").symlink_to("ok.css")
    assert static_files(static) == [("inner", b"a{}"), ("ok.css", b"a{}")]
    (static / "leak.txt").symlink_to(secret_file(tmp_path))
    with pytest.raises(BuildFailed) as failed:
        static_files(static)
    assert [d.path for d in failed.value.diagnostics] == ["themes/t/static/leak.txt"]


def test_a_static_folder_that_cannot_be_listed_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A subfolder of static/ of mode 000 was skipped without a word: the build passed without its files."""
    static = tmp_path / "project/themes/t/static"
    (static / "fonts").mkdir(parents=True)
    (static / "ok.css").write_text("a{}")
    (static / "fonts/a.woff2").write_bytes(b"font")
    real = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == static / "fonts":  # as for a folder of mode 000, whatever the user running the tests
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(BuildFailed) as failed:
        static_files(static)
    assert [(d.path, d.message) for d in failed.value.diagnostics] == [("themes/t/static/fonts", "cannot read the folder: Permission denied")]


def test_static_link_outside_fails_every_command(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    (root / "themes/default/static/leak.txt").symlink_to(secret_file(tmp_path))
    for command in (["build"], ["build", "--drafts"]):
        result = run(root, *command)
        assert result.returncode == 1 and "themes/default/static/leak.txt:1:1: error: refused" in result.stderr
        assert SECRET not in result.stderr + result.stdout


@pytest.mark.parametrize("extends", ["../../outside", "../default", "/etc", "a/b", ".hidden"])
def test_theme_extends_only_names_a_sibling(make_project: Callable[..., Path], tmp_path: Path, extends: str) -> None:
    root = make_project()
    (tmp_path / "outside/templates").mkdir(parents=True)
    (root / "themes/default/theme.yaml").write_text(f"name: default\nextends: '{extends}'\n", encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"themes/default/theme.yaml:1:1: error: extends: theme '{extends}' must name a folder directly under themes/" in result.stderr


def test_theme_folder_linked_outside_is_refused(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    shutil.copytree(root / "themes/default", tmp_path / "elsewhere")
    (root / "themes/linked").symlink_to(tmp_path / "elsewhere")
    (root / "content/site.yaml").write_text(SITE_YAML + "theme: linked\n", encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1 and "themes/linked:1:1: error: refused: it is a symbolic link to a file outside the project" in result.stderr
    assert "extends" not in result.stderr  # site.yaml names the theme; no theme.yaml was read


def test_template_linked_outside_is_refused(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    outside = tmp_path / "evil.html"
    outside.write_text(SECRET + "{{ 1 }}", encoding="utf-8")
    (root / "content/templates").mkdir()
    (root / "content/templates/page.html").symlink_to(outside)
    result = run(root, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr and SECRET not in result.stderr
    assert "content/templates/page.html" in result.stderr and "outside the project" in result.stderr


def test_outside_file_reader_refuses_non_files(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="folder"):
        read_outside_file(tmp_path, 100)
    with pytest.raises(OSError, match="device"):
        read_outside_file(Path("/dev/zero"), 100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(OSError, match="limit"):
        read_outside_file(tmp_path / "big", 100)


def test_theme_files_linked_to_huge_or_endless_files_do_not_stall_the_build(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as out:
        out.truncate(files.MAX_STATIC_BYTES * 4)  # sparse
    (root / "themes/default/static/huge.bin").symlink_to(huge)
    (root / "themes/default/templates/zero.html").symlink_to("/dev/zero")
    for command in (["build"], ["build", "--drafts"]):
        # Templates are checked before any page is made: the endless one is refused first...
        result = run(root, *command)
        assert result.returncode == 1 and "themes/default/templates/zero.html:1:1: error: refused" in result.stderr
    (root / "themes/default/templates/zero.html").unlink()
    for command in (["build"], ["build", "--drafts"]):
        # ...then the huge static file, when the site's files are written.
        result = run(root, *command)
        assert result.returncode == 1 and "themes/default/static/huge.bin:1:1: error: refused" in result.stderr


def test_writes_refuse_a_symbolic_link_in_place_or_on_the_way(tmp_path: Path) -> None:
    # A pull request can commit a link where factcheck writes (schema/, content/pages/): a write would land outside.
    root = tmp_path / "site"
    (root / "schema").mkdir(parents=True)
    (root / "schema/report.schema.json").symlink_to(tmp_path / "victim.txt")
    (root / "content").mkdir()
    (root / "content/pages").symlink_to(tmp_path)
    assert "schema/report.schema.json is a symbolic link" in files.write_refusal(root, "schema/report.schema.json")
    assert "content/pages is a symbolic link" in files.write_refusal(root, "content/pages/about.md")
    assert files.write_refusal(root, "schema/site.schema.json") == ""
    assert files.write_refusal(root, "content/reports/new.yaml") == ""  # not there yet: fine
    assert "outside" in files.write_refusal(root, "../x.yaml")
