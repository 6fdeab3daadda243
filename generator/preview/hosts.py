"""The preview's address: `--host` and `--port` as given, and the Host check (answer only requests addressed to the preview itself)."""

from __future__ import annotations

import argparse
import ipaddress


def port_number(text: str) -> int:
    """A `--port` value: a whole number up to 65535, 0 for any free port (argparse tells the editor otherwise)."""
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a whole number up to 65535 (0: any free port)")
    return int(text)


def host_address(text: str) -> str:
    """A `--host` value: an address or name, not blank (blank would listen on every interface, unasked)."""
    if not text or any(not char.isprintable() or char.isspace() for char in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an address: use 127.0.0.1 (this machine), or 0.0.0.0 (every interface)")
    return text


def host_allowed(header: str, bound: str, port: int) -> bool:
    """True when a request's Host names this preview: the bound address, localhost or loopback, with its port.

    A web page the editor visits can point a name it controls at 127.0.0.1 (DNS rebinding) and
    then read the preview as its own origin; its requests carry that name as Host, so refuse them.
    """
    text = header.strip().lower()
    if text.startswith("["):
        name, _, rest = text[1:].partition("]")
        given_port = rest.removeprefix(":") if rest.startswith(":") else ("" if not rest else "bad")
    else:
        name, _sep, given_port = text.rpartition(":") if ":" in text else (text, "", "")
    if given_port != (str(port) if given_port or port != 80 else ""):
        return False
    bound_name = bound.strip("[]").lower()
    if name in (bound_name, "localhost", "127.0.0.1", "::1"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    # Listening on every interface: other machines reach it by IP address, which cannot be rebound.
    return bound_name in ("", "0.0.0.0", "::")


def fetch_allowed(site: str | None, mode: str | None, dest: str | None) -> bool:
    """True unless the browser says another site's page asked for this (its Sec-Fetch-* headers).

    The Host check cannot see a page elsewhere that loads the preview's search data with a <script> tag:
    the browser sends the preview's own Host. Only the preview's own pages, an address typed or
    bookmarked (`none`), and another site's plain link followed in a tab (a navigation, which shows the
    page to the editor, not to the site) get answers. Tools that send no such header are answered.
    """
    if site is None or site in ("same-origin", "none"):
        return True
    return mode == "navigate" and dest == "document"
