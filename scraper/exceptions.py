"""Every error arsip raises on purpose, each carrying a plain-sentence reason."""

from __future__ import annotations


class ArsipError(Exception):
    """Base class: the message is one plain sentence fit to show a user."""

    exit_code = 1


class UsageError(ArsipError):
    """Bad command-line input (missing file, unknown site, bad date...)."""

    exit_code = 2


class ConfigError(UsageError):
    """An invalid sites file; the message names the offending key."""


class ArchiveError(ArsipError):
    """The archive cannot be opened or written (bad path, unwritable file)."""

    exit_code = 2


class ArchiveFailure(ArchiveError):
    """The archive failed at run time (disk full, locked, damaged): not a usage error."""

    exit_code = 1


class ArchiveDamaged(ArchiveFailure):
    """SQLite reports the archive file malformed; the message says how to recover it."""


class QueryError(UsageError):
    """A search query the full-text engine cannot parse."""


class CrawlFailed(ArsipError):
    """A crawl that could not start or could not do its job (exit 1)."""

    exit_code = 1


class ArchiveLocked(ArsipError):
    """Another crawl holds the archive's lock file."""

    exit_code = 75


class Rejection(Exception):
    """A page or record turned away on purpose; `reason` is a short code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class NotAnArticle(Rejection):
    """The page is a listing, tag page, about page... not an article."""


class InvalidRecord(Rejection):
    """An extracted record missing what every article must have."""


class DuplicateRecord(Rejection):
    """The record repeats one already seen in this run."""
