"""URL canonicalisation: every variant of an article's URL maps to one key."""

from __future__ import annotations


def canonicalize(url: str) -> str:
    """The archive key of a URL: tracking parameters, /amp, m. hosts, scheme,
    trailing slash, fragments and whole-article switches folded away."""
    raise NotImplementedError
