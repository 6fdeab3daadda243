"""The package on its own: a wheel carries the theme, schemas and guides, and a site started
from it in a fresh virtual environment checks, builds and serves, with no file of this
repository in reach."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

from conftest import REPO
from generator.packaged import GUIDES, data_dir, guide, known_themes

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "generator", "themes", "schema", "docs")


def test_checkout_data_is_found() -> None:
    """Run from a checkout, the packaged data are the repository's own folders."""
    assert data_dir("themes") == REPO / "themes"
    assert data_dir("nothing-here") is None
    assert known_themes(REPO / "no-such-project") == ["default"]
    assert guide("start") is not None and guide(
        "start",
    ).startswith("# ")  # type: ignore[union-attr]
    assert guide("benchmarks") is None and guide("../README") is None


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_wheel_installs_and_starts_a_site_outside_the_repository(tmp_path: Path) -> None:
    """pip wheel -> fresh venv -> factcheck init, check, build, docs and a serve smoke, far from the repository."""
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(REPO / name, source / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(source)], tmp_path, env)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("factcheck_ssg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/_data/themes/default/templates/base.html" in names
    assert "generator/_data/schema/report.schema.json" in names
    assert sorted(n.split("/")[-1] for n in names if n.startswith("generator/_data/docs/")) == sorted(f"{g}.md" for g in GUIDES)
    assert "generator/editors/skeleton/dot-github/workflows/check.yml" in names
    assert "generator/importer/maps/liar.yaml" in names  # import.md points pip users at it

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env).returncode == 0
    python = venv / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)], tmp_path, env)
    assert installed.returncode == 0, installed.stderr
    # The dependencies come from this machine's site-packages, added as plain paths: their .pth
    # files (among them the editable install of this repository) are not run.
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env).stdout.strip()
    Path(purelib, "machine-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run([str(python), "-c", "import generator; print(generator.__file__)"], work, env).stdout.strip()
    assert where.startswith(str(venv)), where
    factcheck = str(venv / "bin" / "factcheck")

    made = _run([factcheck, "init", "newsroom", "--title", "Riverside Checks"], work, env)
    assert made.returncode == 0, made.stderr
    # Installed from a wheel on this machine: the site's workflows could not install the same, and init says so.
    assert made.stderr.startswith("warning: this factcheck was installed from file://"), made.stderr
    site = work / "newsroom"
    checked = _run([factcheck, "check"], site, env)
    assert (checked.returncode, checked.stdout) == (0, "Check passed with 8 warnings.\n"), checked.stderr
    assert _run([factcheck, "check", "--strict"], site, env).returncode == 1
    built_site = _run([factcheck, "build"], site, env)
    assert built_site.returncode == 0, built_site.stderr
    assert "Riverside Checks" in (site / "site" / "index.html").read_text(encoding="utf-8")
    assert (site / "site" / "static" / "style.css").is_file()
    docs = _run([factcheck, "docs", "start"], site, env)
    assert docs.returncode == 0 and docs.stdout == (REPO / "docs" / "start.md").read_text(encoding="utf-8")

    server = subprocess.Popen([factcheck, "serve", "--port", "0"], cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        url = ""
        for line in server.stdout:
            if line.startswith("Serving "):
                url = line.split()[1]
                break
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url + "about/", timeout=30) as response:
            assert response.status == 200
            assert "About us" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
