"""Choice lists from a municipality's own referential: a JSON URL answering
``[{"id": ..., "text": ...}, ...]`` (or ``{"data": [...]}``), fetched by the
server with a timeout, a size limit and a cache.

Addresses are resolved first and refused when private, loopback, link-local
or otherwise not global (unless ``GUICHET_DATA_SOURCES_ALLOW_PRIVATE``), and
the connection is made to the address that was checked, so a DNS answer that
changes between the check and the request cannot redirect it. Redirects are
not followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from .definition import Definition

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5.0
MAX_BYTES = 1_000_000
MAX_ITEMS = 5000


class DataSourceError(Exception):
    """The data source could not give a usable list (the reason is for logs and admins)."""


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


def _allow_private() -> bool:
    return bool(settings.GUICHET_DATA_SOURCES_ALLOW_PRIVATE)


def _resolve(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise DataSourceError(f"cannot resolve {host}") from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if not ip.is_global and not _allow_private():
            raise DataSourceError(f"{host} resolves to a non-public address ({ip})")
    return str(addresses[0])


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


def fetch(url: str) -> list[Choice]:
    """Fetch and parse a data source now (no cache)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DataSourceError("only http and https URLs are allowed")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _resolve(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, TIMEOUT_SECONDS)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("GET", path, headers={"Accept": "application/json", "User-Agent": "Guichet"})
        response = connection.getresponse()
        if response.status != 200:
            raise DataSourceError(f"answered HTTP {response.status}")
        body = response.read(MAX_BYTES + 1)
    except (OSError, http.client.HTTPException) as error:
        raise DataSourceError(f"request failed: {error.__class__.__name__}") from error
    finally:
        connection.close()
    if len(body) > MAX_BYTES:
        raise DataSourceError(f"answer larger than {MAX_BYTES} bytes")
    return parse(body)


def parse(body: bytes) -> list[Choice]:
    try:
        document: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise DataSourceError("answer is not JSON") from error
    items = document.get("data") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise DataSourceError("answer is not a list of items")
    choices = []
    for item in items[:MAX_ITEMS]:
        if isinstance(item, dict) and isinstance(item.get("id"), str | int) and isinstance(item.get("text"), str):
            choices.append(Choice(str(item["id"])[:200], item["text"][:300]))
    return choices


def choices_for(url: str, ttl: int = 300) -> list[Choice]:
    """A data source's choices, from the cache when fresh enough."""
    key = f"guichet:datasource:{url}"
    cached = cache.get(key)
    if cached is not None:
        return [Choice(**item) for item in cached]
    choices = fetch(url)
    if ttl:
        cache.set(key, [{"id": c.id, "text": c.text} for c in choices], ttl)
    return choices


def resolve(definition: Definition) -> dict[str, list[Choice]]:
    """The choices of every data-source field, keyed by the field's pointer.
    A source that fails gives no choices (its field then accepts nothing)."""
    resolved: dict[str, list[Choice]] = {}
    for _page, item in definition.fields():
        for field in (item, *item.children):
            source = field.get("data_source")
            if source:
                try:
                    resolved[field.pointer] = choices_for(source["url"], source.get("ttl", 300))
                except DataSourceError as error:
                    logger.warning("data source %s of %s failed: %s", source["url"], field.pointer, error)
                    resolved[field.pointer] = []
    return resolved


def allowed_values(definition: Definition) -> dict[str, list[str]]:
    """For validation: the values each data-source field accepts, keyed by its pointer."""
    return {pointer: [choice.id for choice in choices] for pointer, choices in resolve(definition).items()}
