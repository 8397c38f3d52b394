"""Checking `--set NAME=VALUE` before a crawl starts.

Scrapy converts a setting's text only when a component reads it, by then
inside the reactor: `DOWNLOAD_DELAY=abc` ended as a logged traceback and exit
0. Here every value is checked against the type of its default (arsip's own
from scraper/settings.py, Scrapy's from its default settings), an import path
must import, and an `ARSIP_*` name arsip does not know is refused, so a typo
is one sentence and exit 2 before anything runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from scrapy.settings import default_settings as _scrapy_defaults

from scraper import settings as _arsip_defaults
from scraper.exceptions import UsageError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(value: str) -> bool:
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError("takes True or False")


def _number(kind: type, low: float | None = 0, *, above: bool = False) -> Callable[[str], Any]:
    """A parser for an int or float no smaller than `low` (strictly above it with `above`)."""

    def parse(value: str) -> Any:
        try:
            number = kind(value.strip())
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise ValueError(f"takes {noun}") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("takes a finite number")
        if low is not None and (number <= low if above else number < low):
            raise ValueError(f"must be {'above' if above else 'at least'} {low}")
        return number

    return parse


def _choice(*options: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip() not in options:
            raise ValueError(f"takes one of {', '.join(options)}")
        return value.strip()

    return parse


def _optional(inner: Callable[[str], Any]) -> Callable[[str], Any]:
    """Empty means "the default" (None)."""
    return lambda value: None if not value.strip() else inner(value)


def _import_path(value: str) -> str:
    from scrapy.utils.misc import load_object

    try:
        load_object(value.strip())
    except (ImportError, NameError, ValueError, AttributeError) as exc:
        raise ValueError(f"cannot be imported ({exc})") from None
    return value


def _log_level(value: str) -> str:
    if not isinstance(logging.getLevelName(value.strip().upper()), int):
        raise ValueError("takes DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return value


#: arsip's own settings whose range the type of their default does not say.
ARSIP_CHECKS: dict[str, Callable[[str], Any]] = {
    "ARSIP_MAX_PAGES": _number(int, 1),
    "ARSIP_MAX_LISTING_PAGES": _number(int, 1),
    "ARSIP_MAX_ARTICLE_PAGES": _number(int, 1),
    "ARSIP_MAX_LINKS": _number(int, 1),
    "ARSIP_BATCH_SIZE": _number(int, 1),
    "ARSIP_KNOWN_BATCH": _number(int, 1),
    "ARSIP_BATCH_SECONDS": _number(float, 0, above=True),
    "ARSIP_WORKERS": _optional(_number(int, 0)),
    "ARSIP_ARCHIVE_WRITER": _choice("inline", "process"),
}

#: Scrapy settings whose default type is too loose to check them by.
SCRAPY_CHECKS: dict[str, Callable[[str], Any]] = {
    "LOG_LEVEL": _log_level,
    "DOWNLOAD_DELAY": _number(float, 0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": _number(float, 0, above=True),
    "CONCURRENT_REQUESTS": _number(int, 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": _number(int, 1),
    "CONCURRENT_ITEMS": _number(int, 1),
    "DOWNLOAD_TIMEOUT": _number(float, 0, above=True),
}


def _by_default(default: Any, low: float | None) -> Callable[[str], Any] | None:
    """A check from the type of a setting's default value (None: anything goes)."""
    if isinstance(default, bool):
        return _bool
    if isinstance(default, int):
        return _number(int, low)
    if isinstance(default, float):
        return _number(float, low)
    if isinstance(default, dict | list | tuple):
        import json

        def parse(value: str) -> Any:
            try:
                return json.loads(value)
            except ValueError:
                raise ValueError("takes a JSON value") from None

        return parse
    # A dotted path to a class (SCHEDULER, DUPEFILTER_CLASS, ...).
    if isinstance(default, str) and default.split(".", 1)[0] in ("scrapy", "twisted"):
        return _import_path
    return None


def _defaults(module: Any) -> dict[str, Any]:
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Raise UsageError (exit 2) naming the first `--set` that cannot work."""
    arsip = _defaults(_arsip_defaults)
    scrapy = _defaults(_scrapy_defaults)
    for name, value in overrides.items():
        if not name.isupper() or not name.replace("_", "").isalnum():
            raise UsageError(f"--set takes an upper-case setting name, got {name!r}.")
        if name.startswith("ARSIP_") and name not in arsip:
            known = ", ".join(sorted(n for n in arsip if n.startswith("ARSIP_")))
            raise UsageError(f"--set {name}: no such arsip setting; arsip's own are {known}.")
        check = ARSIP_CHECKS.get(name) or SCRAPY_CHECKS.get(name)
        if check is None:
            # arsip's numbers are all counts or seconds: never negative.
            low = 0 if name in arsip else None
            check = _by_default(arsip[name] if name in arsip else scrapy.get(name), low)
        if check is None:
            continue
        try:
            check(value)
        except ValueError as exc:
            raise UsageError(f"--set {name}={value!r}: {name} {exc}.") from None
