"""A threaded stdlib HTTP server for a prebuilt map of pages, bound to 127.0.0.1."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

Pages = dict[str, tuple[str, bytes]]

_NOT_FOUND = b"<!DOCTYPE html><html><head><title>404</title></head><body><h1>Halaman tidak ditemukan</h1></body></html>"


class SiteServer(ThreadingHTTPServer):
    """Serves `pages` (path -> (content type, body)); everything else is a 404."""

    daemon_threads = True
    pages: Pages
    #: Every requested path in order, so tests can see what a crawler fetched (robots, refetches).
    hits: list[str]

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "arsip-demo/1"

    def _send(self, *, head_only: bool) -> None:
        path = urlsplit(self.path).path or "/"
        self.server.hits.append(path)
        pages = self.server.pages
        if path not in pages and not path.endswith("/") and path + "/" in pages:
            # WordPress answers a slug without its slash with a permanent redirect.
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, (ctype, body) = (
            (200, pages[path]) if path in pages else (404, ("text/html", _NOT_FOUND))
        )
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(head_only=False)

    def do_HEAD(self) -> None:
        self._send(head_only=True)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s " + format, self.address_string(), *args)


def start_server(
    build: Callable[[str], Pages], host: str = "127.0.0.1", port: int = 0
) -> SiteServer:
    """Bind (port 0 = any free port), build the pages for the bound address, serve in a thread."""
    server = SiteServer((host, port), _Handler)
    server.pages = build(server.base_url)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    logger.info("serving %s pages on %s", len(server.pages), server.base_url)
    return server
