"""Datasette plugin loaded by `arsip serve`: only listed Host headers, only reads,
CSV downloads guarded like `arsip export --format csv`.

Datasette has no setting for any of these, so this wraps its ASGI app. A
browser page on another site can point its own name at 127.0.0.1 (DNS
rebinding) and read the archive as same-origin; checking the Host header
stops that. The archive is served read-only, so a POST, PUT or DELETE is
refused with 405 instead of reaching views that answer it with a server
error. Datasette's CSV would hand a spreadsheet `=HYPERLINK(…)` titles as
formulas; its rows are rewritten through the same cell guard as arsip's.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from datasette import hookimpl

from scraper.safe_text import csv_cell

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


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


class CsvRows:
    """Rewrites a CSV byte stream record by record, whatever the chunking."""

    def __init__(self) -> None:
        self.tail = b""  # an unfinished line
        self.record: list[bytes] = []  # lines of a record with an open quote
        self.quotes = 0

    def feed(self, data: bytes, *, final: bool = False) -> bytes:
        lines = (self.tail + data).split(b"\n")
        self.tail = lines.pop()
        done: list[bytes] = []
        for line in lines:
            self.record.append(line)
            self.quotes += line.count(b'"')
            if self.quotes % 2 == 0:  # no quoted cell left open: the record ends here
                done.append(b"\n".join(self.record) + b"\n")
                self.record, self.quotes = [], 0
        if final:
            rest = b"\n".join([*self.record, self.tail]) if self.record else self.tail
            if rest:
                done.append(rest)
            self.record, self.tail = [], b""
        return self._rewrite(b"".join(done)) if done else b""

    @staticmethod
    def _rewrite(chunk: bytes) -> bytes:
        # Cut at newlines only, so no UTF-8 sequence is split.
        out = io.StringIO()
        writer = csv.writer(out)
        for row in csv.reader(io.StringIO(chunk.decode("utf-8"), newline="")):
            # Every cell is text here; a plain number is a number, not a formula.
            writer.writerow([cell if _NUMBER.fullmatch(cell) else csv_cell(cell) for cell in row])
        return out.getvalue().encode("utf-8")


def _is_csv(scope: dict[str, Any]) -> bool:
    return scope.get("path", "").endswith(".csv")


def _guard_csv(send: Any) -> Any:
    rows = CsvRows()
    active = False

    async def send_guarded(message: dict[str, Any]) -> None:
        nonlocal active
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            kind = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
            # Only the CSV itself: an error page at a .csv URL is HTML.
            active = message.get("status") == 200 and kind.startswith((b"text/csv", b"text/plain"))
            if active:  # the rewritten body has another length
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and active:
            more = message.get("more_body", False)
            message = {**message, "body": rows.feed(message.get("body", b""), final=not more)}
        await send(message)

    return send_guarded


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
        if _is_csv(scope):
            return await app(scope, receive, _guard_csv(send))
        return await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    config = datasette.plugin_config(PLUGIN) or {}
    allowed = frozenset(h.lower() for h in config.get("allowed_hosts") or [])

    def wrap(app: Any) -> Any:
        return guard(app, allowed)

    return wrap
