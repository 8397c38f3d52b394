"""Datasette plugin loaded by `arsip serve`: only listed Host headers, only reads.

Datasette has no setting for either, so this wraps its ASGI app. A browser
page on another site can point its own name at 127.0.0.1 (DNS rebinding) and
read the archive as same-origin; checking the Host header stops that. The
archive is served read-only, so a POST, PUT or DELETE is refused with 405
instead of reaching views that answer it with a server error.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

PLUGIN = "arsip-guard"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _reply(status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> Any:
    body = (message + "\n").encode()

    async def send_reply(send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    *(headers or []),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return send_reply


def guard(app: Any, allowed_hosts: frozenset[str]) -> Any:
    """ASGI middleware: 400 for a Host not in `allowed_hosts`, 405 for a write method."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            return await app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1").strip().lower()
        if host not in allowed_hosts:
            return await _reply(400, f"Host {host or '(none)'!r} is not served here.")(send)
        if scope.get("method", "GET").upper() not in READ_METHODS:
            allow = [(b"allow", b"GET, HEAD, OPTIONS")]
            return await _reply(405, "This archive is served read-only.", allow)(send)
        return await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    config = datasette.plugin_config(PLUGIN) or {}
    allowed = frozenset(h.lower() for h in config.get("allowed_hosts") or [])

    def wrap(app: Any) -> Any:
        return guard(app, allowed)

    return wrap
