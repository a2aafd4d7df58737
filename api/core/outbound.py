"""Calls Guichet makes to addresses someone else chose (a form's data source, an
application's webhook, a browser's push endpoint): never to the service's own
network unless a setting allows it.

Addresses are resolved first and refused when private, loopback, link-local or
otherwise not global, and the connection is made to the address that was
checked, so a DNS answer that changes between the check and the request cannot
redirect it. Redirects are not followed; answers are read up to a size limit;
every call has a timeout."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class OutboundError(Exception):
    """The call could not be made or did not complete (the reason is for logs and admins)."""


class NotPublic(OutboundError):
    """The address is not a public one, and private addresses are not allowed."""


def public_address(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to for ``host``, after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundError(f"cannot resolve {host}") from error
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if not ip.is_global and not allow_private:
            raise NotPublic(f"{host} resolves to a non-public address ({ip})")
    return addresses[0]


def check_url(url: str, *, allow_private: bool, schemes: frozenset[str] = frozenset({"http", "https"})) -> None:
    """Refuse a URL whose scheme is not allowed or whose host is not public."""
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise OutboundError(f"only {' and '.join(sorted(schemes))} addresses are allowed")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise OutboundError("the port is not valid") from error
    public_address(parts.hostname, port, allow_private=allow_private)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def call(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    max_bytes: int = 1_000_000,
    allow_private: bool = False,
) -> Answer:
    """Make one HTTP call to a checked, pinned address; raise ``OutboundError`` when it
    cannot be made, the answer is larger than ``max_bytes``, or the timeout passes."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundError("only http and https URLs are allowed")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise OutboundError("the port is not valid") from error
    address = public_address(parts.hostname, port, allow_private=allow_private)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, body=body, headers={"User-Agent": "Guichet", **(headers or {})})
        response = connection.getresponse()
        content = response.read(max_bytes + 1)
        answer = Answer(response.status, content, {k.lower(): v for k, v in response.getheaders()})
    except (OSError, http.client.HTTPException) as error:
        raise OutboundError(f"request failed: {error.__class__.__name__}") from error
    finally:
        connection.close()
    if len(answer.body) > max_bytes:
        raise OutboundError(f"answer larger than {max_bytes} bytes")
    return answer
