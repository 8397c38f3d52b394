"""Content fingerprints: an exact hash and a 64-bit simhash of normalised body text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from itertools import pairwise

_WORD = re.compile(r"\w+", re.UNICODE)

#: Two bodies whose simhashes differ in at most this many of 64 bits are treated
#: as the same story (syndicated or lightly edited). 3 is the value Manku et al.
#: (WWW 2007) found to separate near-duplicates from distinct pages on web text;
#: it also lets the archive find candidates by four exact 16-bit bands.
NEAR_DUPLICATE_BITS = 3


def normalise(text: str) -> str:
    """Case-folded words joined by single spaces: what both fingerprints see."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_WORD.findall(text))


def content_hash(text: str) -> str:
    """SHA-1 hex of the normalised text: equal for exact copies of a body."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    """64-bit simhash over word-pair counts, as a signed int (fits SQLite INTEGER).

    Word pairs rather than single words or longer n-grams (bench/dedupe.py
    measures all three): single words make distinct Indonesian articles look
    alike through their shared vocabulary (median distance 28 bits instead of
    the 32 of unrelated hashes), which would link distinct stories in a large
    archive; 3-grams move three features per edited word and miss light edits."""
    words = normalise(text).split()
    if not words:
        return 0
    counts = Counter(pairwise(words)) if len(words) > 1 else Counter([(words[0], "")])
    weighted = [
        (int.from_bytes(hashlib.blake2b(f"{a} {b}".encode(), digest_size=8).digest(), "big"), n)
        for (a, b), n in counts.items()
    ]
    half = sum(counts.values()) / 2
    value = 0
    for bit in range(64):
        # A bit is set when the pairs having it set outweigh the others.
        if sum(n for h, n in weighted if (h >> bit) & 1) > half:
            value |= 1 << bit
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two simhashes (signed or unsigned)."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def bands(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands: two hashes within 3 bits share at least one band."""
    v = value & ((1 << 64) - 1)
    return tuple((v >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]
