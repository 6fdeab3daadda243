"""The preview's Host check: answer only requests addressed to the preview itself (DNS rebinding)."""

from __future__ import annotations

import ipaddress


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
