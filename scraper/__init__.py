"""arsip: an archive of Indonesian tech news for researchers."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Archive", "__version__"]


def __getattr__(name: str):
    # Imported lazily so `import scraper` (e.g. by Scrapy settings) stays cheap
    # and extraction never drags SQLAlchemy in.
    if name == "Archive":
        from scraper.archive import Archive

        return Archive
    raise AttributeError(name)
