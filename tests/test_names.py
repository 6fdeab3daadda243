"""The rule for values that become URLs or file names: parsed safely, http(s) only, short plain slugs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO
from generator.content.names import MAX_ID_LENGTH, http_url_problem, is_safe_link, slug_problem, split_url


@pytest.mark.parametrize(
    "url",
    [
        "https://[oops/x",
        "http://x.example:99999/",
        "javascript:alert(1)//",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "https://",
        "//evil.example/x",
        "https://a b.example/",
        "https://x.example/\x00",
        "ftp://x.example/",
        "example.org",
        "http:///path",
        "https://x.example:port/",
    ],
)
def test_bad_urls_are_refused_never_raised(url: str) -> None:
    assert http_url_problem(url)


@pytest.mark.parametrize(
    "url", ["https://example.org", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/", "https://[::1]:8000/", "https://xn--bcher-kva.example/"]
)
def test_good_urls_pass(url: str) -> None:
    assert http_url_problem(url) == ""


def test_split_url_never_raises() -> None:
    assert split_url("https://[oops/x") is None
    assert split_url("https://x.example:70000") is None
    parts = split_url("https://x.example/a")
    assert parts is not None and parts.hostname == "x.example"


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://x.example/", True),
        ("http://bücher.example/", True),
        ("https://[::1]:8000/", True),
        ("../about/", True),
        ("#top", True),
        ("javascript:x", False),
        ("//evil/", False),
        ("https:evil.example", False),  # a relative address to a browser
        ("https://bank.example@evil.example/", False),
        ("https://%5Boops/x", False),
        ("https://r.example!x/", False),
    ],
)
def test_markdown_links(link: str, ok: bool) -> None:
    assert is_safe_link(link) is ok
    assert is_safe_link("https://x.example:99999/") is False


@pytest.mark.parametrize("name", ["a" * (MAX_ID_LENGTH + 1), "abc\n", "../etc", "a/b", "Abc", "a--b", "-a", "", "a b", "x.yaml", "é"])
def test_names_that_are_not_plain_slugs(name: str) -> None:
    assert slug_problem(name)


def test_plain_slugs_up_to_the_limit_pass() -> None:
    assert slug_problem("a" * MAX_ID_LENGTH) == "" and slug_problem("planet-rents-2") == ""


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args], capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize(
    "base",
    [
        "javascript:alert(1)//",
        "https://[oops/x",
        "/relative/",
        "ftp://x.example/",
        'https://x.example/"><script>',
        "https://x.example/?q=1",
        "https://x.example/#f",
        "https://u:p@x.example/",
    ],
)
def test_base_url_option_is_validated(make_project: Callable[..., Path], base: str) -> None:
    root = make_project()
    for drafts in ([], ["--drafts"]):
        result = run(root, "build", "--base-url", base, *drafts)
        assert result.returncode == 1, result.stdout
        assert result.stderr.startswith("error: --base-url ") and "Traceback" not in result.stderr
        assert not (root / "site").exists()


def test_good_base_url_option_is_used(make_project: Callable[..., Path]) -> None:
    root = make_project()
    assert run(root, "build", "--base-url", "https://checks.example/sub/").returncode == 0
    assert "https://checks.example/sub/" in (root / "site/index.html").read_text(encoding="utf-8")
