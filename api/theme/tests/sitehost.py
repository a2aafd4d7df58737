"""A local web server for the fixture sites under ``sites/`` (the municipal home
pages the theme's import is tested against), with the habits of real servers: a
redirect from a site's root, a charset sent only in the header, and some hostile
answers (a redirect loop, a huge page, JSON instead of HTML, a missing page)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SITES = Path(__file__).parent / "sites"
TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}


class Host(ThreadingHTTPServer):
    daemon_threads = True
    requested: list[str]


class Handler(BaseHTTPRequestHandler):
    server: Host

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.requested.append(path)
        if path == "/village/":
            return self._send(301, Location="/village/accueil.html")
        if path == "/loop/":
            return self._send(302, Location="/loop/")
        if path == "/huge/":
            return self._send(200, b"<html><body>" + b"x" * 4_000_000, "text/html")
        if path == "/data.json":
            return self._send(200, b'{"not": "a page"}', "application/json")
        if path == "/many/":
            links = "".join(f'<link rel="stylesheet" href="/many/{i}.css">' for i in range(60))
            return self._send(200, f"<html><head>{links}</head><body></body></html>".encode(), "text/html")
        if path == "/deep/":  # nested deeper than any parser's recursion, in a sheet and an attribute
            body = b'<html><head><link rel="stylesheet" href="/deep.css"></head><body style="color:' + b"rgb(" * 50_000
            return self._send(200, body + b'"><header style="background:#123456">x</header></body></html>', "text/html")
        if path == "/deep.css":
            return self._send(200, b":root{--a:" + b"(" * 50_000 + b"}", "text/css")
        if path.startswith("/many/") and path.endswith(".css"):
            return self._send(200, b"a { color: #123456 }", "text/css")
        if path.endswith("/"):
            path += "index.html" if (SITES / path.lstrip("/") / "index.html").exists() else "index.htm"
        file = (SITES / path.lstrip("/")).resolve()
        if SITES not in file.parents or not file.is_file():
            return self._send(404, b"not found")
        content_type = TYPES.get(file.suffix, "application/octet-stream")
        if path == "/village/accueil.html":
            content_type = "text/html; charset=windows-1252"  # said only in the header
        return self._send(200, file.read_bytes(), content_type)


@contextmanager
def serving() -> Iterator[Host]:
    server = Host(("127.0.0.1", 0), Handler)
    server.requested = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def address(server: Host, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"
