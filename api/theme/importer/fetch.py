"""Fetching the institutional site: guarded, bounded, and decoded as a browser would.

Every address (the page, each redirect, each stylesheet, the logo, font files) goes
through ``api.core.outbound``: resolved, refused when not public, connected to the
checked address, with a timeout and a size limit. A whole import also has a budget of
requests and bytes, so a hostile site cannot keep Guichet busy.

Text is decoded following the HTML standard's order: a byte-order mark, then the
charset the server sends, then a ``<meta>`` charset in the first 1,024 bytes, then
UTF-8 if the bytes are valid UTF-8, then windows-1252 (what browsers assume for a
French page that says nothing). Labels are read as the Encoding standard maps them
(``webencodings``): "iso-8859-1" is windows-1252, as in every browser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import webencodings
from django.conf import settings

from api.core import outbound

MAX_REDIRECTS = 4


class ImportError_(Exception):
    """The site could not be read; ``code`` names the reason for the problem response."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class Budget:
    """What one import may still spend."""

    requests: int = 40
    bytes: int = 8_000_000
    spent: list[str] = field(default_factory=list)

    def take(self, url: str) -> None:
        if self.requests <= 0:
            raise ImportError_("too-many-requests", "the import made too many requests")
        self.requests -= 1
        self.spent.append(url)


@dataclass
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


def _allow_private() -> bool:
    return bool(settings.GUICHET_THEME_IMPORT_ALLOW_PRIVATE)


def get(url: str, budget: Budget, *, max_bytes: int, accept: str = "*/*") -> Fetched:
    """GET ``url``, following up to four redirects (each one checked like the first)."""
    for _hop in range(MAX_REDIRECTS + 1):
        budget.take(url)
        try:
            answer = outbound.call(
                "GET",
                url,
                headers={"Accept": accept, "Accept-Language": "fr, en;q=0.5"},
                timeout=float(settings.GUICHET_THEME_IMPORT_TIMEOUT),
                max_bytes=min(max_bytes, budget.bytes),
                allow_private=_allow_private(),
            )
        except outbound.NotPublic as error:
            raise ImportError_("not-public", str(error)) from error
        except outbound.OutboundError as error:
            raise ImportError_("unreachable", f"{url}: {error}") from error
        budget.bytes -= len(answer.body)
        if answer.status in {301, 302, 303, 307, 308} and answer.headers.get("location"):
            url = urljoin(url, answer.headers["location"])
            continue
        if answer.status != 200:
            raise ImportError_("unreachable", f"{url}: HTTP status {answer.status}")
        return Fetched(url, answer.body, answer.headers.get("content-type", ""))
    raise ImportError_("unreachable", f"{url}: more than {MAX_REDIRECTS} redirects")


_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""",
    re.IGNORECASE,
)


def _label(name: str | bytes | None) -> webencodings.Encoding | None:
    if not name:
        return None
    text = name.decode("ascii", "replace") if isinstance(name, bytes) else name
    return webencodings.lookup(text.strip())


def decode(body: bytes, content_type: str = "", *, html: bool = True) -> str:
    """The text of ``body``, decoded as a browser would (see the module's docstring)."""
    for bom, python_name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom) :].decode(python_name, "replace")
    match = _HEADER_CHARSET.search(content_type)
    encoding = _label(match.group(1)) if match else None
    if encoding is None and html:
        found = _META_CHARSET.search(body[:1024])
        encoding = _label(found.group(1)) if found else None
        if encoding is not None and encoding.name.startswith("utf-16"):
            encoding = webencodings.lookup("utf-8")  # a page that says so in ASCII is not UTF-16
    if encoding is None and not html:
        found = re.match(rb'@charset "([\w.:-]+)";', body)
        encoding = _label(found.group(1)) if found else None
    if encoding is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            encoding = webencodings.lookup("windows-1252")
    assert encoding is not None  # noqa: S101 - every branch above sets it
    return body.decode(encoding.codec_info.name, "replace")
