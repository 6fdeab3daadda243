"""The preview's Host check, as a pure function (the socket-level tests are in test_serve.py)."""

from __future__ import annotations

import pytest

from generator import cli
from generator.preview.hosts import host_address, host_allowed, port_number


@pytest.mark.parametrize("header", ["127.0.0.1:8000", "localhost:8000", "LocalHost:8000", "[::1]:8000", " localhost:8000 "])
def test_loopback_names_with_the_port_are_allowed(header: str) -> None:
    assert host_allowed(header, "127.0.0.1", 8000)


@pytest.mark.parametrize(
    "header",
    ["evil.example", "evil.example:8000", "localhost", "localhost:8001", "127.0.0.1:80", "[::1]", "[::1]x", "localhost:8000:8000", "", "127.0.0.2:8000"],
)
def test_anything_else_is_refused(header: str) -> None:
    assert not host_allowed(header, "127.0.0.1", 8000)


def test_the_bound_address_and_port_80() -> None:
    assert host_allowed("192.168.1.5:8000", "192.168.1.5", 8000)
    assert host_allowed("localhost", "127.0.0.1", 80)
    assert host_allowed("[fe80::1]:8000", "fe80::1", 8000)


def test_wildcard_bind_accepts_ip_literals_but_never_names() -> None:
    assert host_allowed("192.168.1.5:8000", "0.0.0.0", 8000)
    assert host_allowed("[2001:db8::1]:8000", "::", 8000)
    assert not host_allowed("preview.evil.example:8000", "0.0.0.0", 8000)


@pytest.mark.parametrize(
    "option", [["--port", "99999"], ["--port", "-1"], ["--port", "eighty"], ["--port", "٨٠٨٠"], ["--port", "²"], ["--host", ""], ["--host", "a b"]]
)
def test_serve_refuses_a_port_or_host_that_cannot_be_used(option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # --port 99999 was an internal error (OverflowError from bind); --host '' listened on every interface.
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", *option])
    assert stopped.value.code == 2
    assert f"argument {option[0]}:" in capsys.readouterr().err


def test_port_and_host_values_that_are_fine() -> None:
    assert port_number("8000") == 8000 and port_number("0") == 0  # any free port
    assert host_address("0.0.0.0") == "0.0.0.0"
