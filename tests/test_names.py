"""The rule for values that become URLs or file names: parsed safely, http(s) only, short plain slugs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO
from generator.content.names import (
    MAX_ID_LENGTH,
    base_url_problem,
    forgotten_scheme,
    http_url_diagnosis,
    http_url_problem,
    is_safe_link,
    link_problem,
    slug_problem,
    split_url,
)


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


@pytest.mark.parametrize(
    ("link", "problem", "hint"),
    [
        ("https://bridge.example:99999/x", "is not a valid http(s) address: its port is not a number up to 65535", "write the port as a number"),
        ("https://bridge.example:80a/x", "its port is not a number", "or leave it out"),
        ("https://user@bridge.example/tolls", "with no user name)", "write it without the user name: https://bridge.example/tolls"),
        ("https://u:pw@bridge.example:8080/t?q#f", "with no user name)", "without the user name: https://bridge.example:8080/t?q#f"),
        ("https:bridge.example/x", "it has no host", "did you mean https://bridge.example/x?"),
        ("https://%5Boops/x", "its host is not a plain name", "address bar"),
        ("javascript:alert(1)", "is not allowed (only http(s) and relative links)", "use a full https:// address"),
        ("https://[oops/x", "is not a valid http(s) address", "https://example.org/page"),
    ],
)
def test_a_refused_link_says_what_is_wrong_with_it(link: str, problem: str, hint: str) -> None:
    """A bad port is not called a user name; each refusal names its own fault and a fix."""
    found, told = link_problem(link)
    assert problem in found and hint in told
    assert ("user name" in found) is ("@" in link)


@pytest.mark.parametrize(
    ("url", "problem", "hint"),
    [
        ("https://user@bridge.example/tolls", "has a user name or password in it", "write the address without it: https://bridge.example/tolls"),
        ("http://a:b@[::1]:8000/", "has a user name or password in it", "without it: http://[::1]:8000/"),
        ("https://bank.example@evil.example/", "has a user name or password in it", "without it: https://evil.example/"),
        ("https://%5Boops/x", "its host is not a plain name", "address bar"),
        ("https://bridge.example/toll schedule", "(it contains a space)", "write each space as %20: https://bridge.example/toll%20schedule"),
        ('https://x.example/"a b"', "(it contains spaces, quotes", "percent-encode them"),
        ("https://exa mple.org/x", "(its host has a space in it)", "remove the space from the host"),  # %20 would not make it an address
        ("https:// example.org", "(its host has a space in it)", "remove the space from the host"),
        ("https://", "it has no host", "write the whole address, e.g. https://example.org/page"),
        ("http:///path", "it has no host", "write the whole address"),
        ("https://x.example:99999/", "its port is not a number up to 65535", "write the port as a number"),
        ("bridge.example/tolls", "is not an http(s) URL", "did you mean https://bridge.example/tolls?"),
        ("tolls.html", "is not an http(s) URL", "use a full address starting with https://"),
    ],
)
def test_a_url_field_is_held_to_the_link_rule_with_a_hint_that_fits(url: str, problem: str, hint: str) -> None:
    """URL fields refuse what markdown links refuse (a user name: a phishing trick), each with a fitting hint."""
    found, told = http_url_diagnosis(url)
    assert problem in found and hint in told
    assert http_url_problem(url) == found


@pytest.mark.parametrize(
    ("address", "meant"),
    [
        ("bridge.example/tolls", "https://bridge.example/tolls"),
        ("www.bbc.co.uk/news?x=1", "https://www.bbc.co.uk/news?x=1"),
        ("example.org", "https://example.org"),
        ("stats.gov.uk#t", "https://stats.gov.uk#t"),
        ("../about/", ""),
        ("report.html", ""),
        ("data.csv", ""),
        ("page.html#top", ""),
        ("notes.md", ""),
        ("tools/run.sh", ""),
        ("v1.2/x", ""),
        ("archive/bridge.example", ""),
        ("index.old", ""),
    ],
)
def test_a_relative_link_that_starts_with_a_host_name_is_taken_for_a_forgotten_https(address: str, meant: str) -> None:
    assert forgotten_scheme(address) == meant


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


def test_a_base_url_is_refused_alike_from_site_yaml_and_the_command_line() -> None:
    """`build --base-url` wrote a bidirectional override into every canonical link; site.yaml's field refused it."""
    assert base_url_problem("https://example.org/checks/") == ""
    assert base_url_problem("https://x.example/\u202e/") == "contains a bidirectional override (U+202E)"
    assert base_url_problem("https://x.example/\u200b/") == "contains an invisible control character (U+200B)"
    assert base_url_problem("https://x.example:0/") == "has port 0, which no server listens on"
    assert base_url_problem("https://x.example/?q=1").startswith("has a ?query")
