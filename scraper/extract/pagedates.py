"""Publication and modification dates of a page: structured sources checked against the visible one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from lxml import etree

from scraper.extract.dates import WIB, ParsedDate, parse_date, parse_iso, sane
from scraper.extract.parse import text_of
from scraper.extract.scan import Scan

logger = logging.getLogger(__name__)

#: meta keys naming the publication time, most trusted first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "pubdate", "publishdate", "dtk:publishdate", "publish-date",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
    "date", "content_publishdate", "article.published", "published_time", "release_date",
)  # fmt: skip
CREATED_META = ("datecreated", "dtk:createddate", "createdate")
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dtk:updateddate",
    "lastmod", "last-modified", "dcterms.modified", "updated_time",
)  # fmt: skip
_DATE_PROPS = etree.XPath("//*[@itemprop = 'datePublished'][not(self::meta)]")
_HAS_DATE = re.compile(r"\d{1,2}[:./-]\d{1,2}|\d{4}|lalu|ago", re.I)
_MODIFIED_WORDS = re.compile(r"diperbarui|diupdate|update[d]?|modified|pembaruan", re.I)
_SKIP = frozenset({"script", "style", "noscript", "template", "a"})
# "Diperbarui ... | Diterbitkan ...", "Updated: ..., Published: ...": one text, two dates.
_LABEL_SPLIT = re.compile(
    r"\s*[|·,]\s*(?=(?:last\s+)?(?:diperbarui|diupdate|update[d]?|modified|pembaruan|diterbitkan|"
    r"terbit|dipublikasikan|published|posted|dimuat)\b)",
    re.I,
)
_RELATIVE_WORD = re.compile(r"\b(?:lalu|ago)\b", re.I)
_ABSOLUTE = re.compile(r"\d{4}|\d{1,2}[/.-]\d{1,2}")
# A relative date trusted as the page's own: the whole short text, counted in minutes to days
# ("Didirikan 3 tahun lalu" in a summary is about the subject, not the story).
_SHORT_RELATIVE = re.compile(
    r"\b(?:(?:\d{1,3}|beberapa|se|a few|an?)\s*(?:menit|jam|hari|minutes?|mins?|hours?|hrs?|"
    r"days?)|semenit|sejam|sehari)\s+(?:yang\s+)?(?:lalu|ago)\b",
    re.I,
)
_MAX_RELATIVE_TEXT = 25


@dataclass
class PageDates:
    published_at: str | None = None
    modified_at: str | None = None
    source: str | None = None
    raw: str | None = None
    precision: str | None = None


@dataclass
class _Candidate:
    parsed: ParsedDate
    source: str
    raw: str


def _structured(meta: dict[str, str], node: dict[str, Any] | None, keys: tuple[str, ...],
                ld_key: str, default_tz: tzinfo, fetched_at: datetime) -> list[_Candidate]:  # fmt: skip
    """Machine-readable dates (placeholders such as 0001-01-01 dropped), most trusted first."""
    out = []
    if node is not None:
        value = node.get(ld_key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and (
            parsed := sane(parse_iso(value, default_tz=default_tz), fetched_at)
        ):
            out.append(_Candidate(parsed, "jsonld", value))
    for key in keys:
        value = meta.get(key)
        if value and (parsed := sane(parse_iso(value, default_tz=default_tz), fetched_at)):
            out.append(_Candidate(parsed, "meta", value))
    return out


def _as_local(parsed: ParsedDate, tz: tzinfo) -> ParsedDate:
    """A "Z" time re-read as local time: some sites print WIB wall time with a wrong Z."""
    return ParsedDate(parsed.dt.replace(tzinfo=tz), parsed.precision, None)


def _same_minute(a: datetime, b: datetime) -> bool:
    return abs(a - b) < timedelta(minutes=1) or (
        a.astimezone(b.tzinfo).replace(second=0) == b.replace(second=0)
    )


def _near_headline(headline: etree._Element, fetched_at: datetime,
                   default_tz: tzinfo) -> tuple[_Candidate | None, _Candidate | None]:  # fmt: skip
    """The published (and "Diperbarui ...") dates printed in short texts around the headline."""
    node = headline
    modified = None
    for _level in range(4):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        chunks: list[tuple[int, str]] = []
        pos = -1
        for i, el in enumerate(node.iter()):
            if i > 250:
                break
            if el is headline:
                pos = len(chunks)
            tag = el.tag  # each read of .tag, .text or .tail builds a new string
            if not isinstance(tag, str):
                continue
            if tag not in _SKIP and (text := el.text):
                chunks.append((len(chunks), text))
            if el is not node and (text := el.tail):
                chunks.append((len(chunks), text))
        published = None
        best = None
        for idx, whole in chunks:
            whole = " ".join(whole.split())
            if not whole or len(whole) > 90 or not _HAS_DATE.search(whole):
                continue
            for text in _LABEL_SPLIT.split(whole):
                parsed = parse_date(
                    text, fetched_at=fetched_at, default_tz=default_tz, fallback=False
                )
                if parsed is None or parsed.precision == "month":
                    continue
                doubt = _relative_doubt(text)
                if doubt is None:
                    continue
                cand = _Candidate(parsed, "text", text)
                if _MODIFIED_WORDS.search(text):
                    modified = modified or cand
                    continue
                # Closest to the headline wins; a time of day beats a bare day; a doubtful
                # relative date only when nothing absolute is printed.
                rank = (
                    doubt,
                    parsed.precision != "minute",
                    abs(idx - pos) + (0 if idx >= pos else 2),
                )
                if best is None or rank < best:
                    best, published = rank, cand
        if published is not None:
            return published, modified
    return None, modified


def _relative_doubt(text: str) -> int | None:
    """0 for an absolute date or a short "2 jam lalu" stamp; 1 for a short stamp counted
    in weeks or more (kept below any absolute date); None for a "... lalu" inside a sentence."""
    if not _RELATIVE_WORD.search(text) or _ABSOLUTE.search(text):
        return 0
    if len(text) > _MAX_RELATIVE_TEXT:
        return None
    return 0 if _SHORT_RELATIVE.search(text) else 1


def _date_classed(candidates: list[etree._Element], fetched_at: datetime,
                  default_tz: tzinfo) -> _Candidate | None:  # fmt: skip
    for el in candidates[:40]:
        whole = " ".join(text_of(el).split())
        if not whole or len(whole) > 90 or not _HAS_DATE.search(whole):
            continue
        for text in _LABEL_SPLIT.split(whole):
            if _MODIFIED_WORDS.search(text) or _relative_doubt(text) is None:
                continue
            parsed = parse_date(text, fetched_at=fetched_at, default_tz=default_tz)
            if parsed is not None and parsed.precision != "month":
                return _Candidate(parsed, "text", text)
    return None


def _time_elements(tree: etree._Element, times: list[etree._Element], default_tz: tzinfo, *,
                   props: bool) -> list[_Candidate]:  # fmt: skip
    """<time datetime> values (among `times`, the page's <time> elements); with `props`,
    also itemprop=datePublished content/datetime."""
    out = []
    elements = [el for el in times if el.get("datetime") is not None][:5]
    if props:
        elements += [el for el in _DATE_PROPS(tree)[:5] if el.tag != "time"]
    for el in elements:
        value = el.get("datetime") or el.get("content") or ""
        parsed = parse_iso(value, default_tz=default_tz) if value else None
        if parsed is not None:
            out.append(_Candidate(parsed, "time", value))
    return out


_OFFSET_KEYS = PUBLISHED_META + CREATED_META + MODIFIED_META
_LD_DATE_KEYS = ("datePublished", "dateCreated", "dateModified", "uploadDate")


def page_offset(
    meta: dict[str, str], article: dict[str, Any] | None, times: list[etree._Element]
) -> timezone | None:
    """The offset the page's own ISO timestamps state, when they agree on one.

    "Z"/+00:00 says nothing of the local clock (many CMSs store UTC), so only other offsets
    count; a page whose timestamps disagree (summer and winter time) gives none.
    """
    values = [meta.get(k) for k in _OFFSET_KEYS]
    if article is not None:
        values += [article.get(k) for k in _LD_DATE_KEYS]
    values += [el.get("datetime") for el in times[:10]]
    offsets = set()
    for value in values:
        if not isinstance(value, str) or not value:
            continue
        parsed = parse_iso(value)
        if parsed is not None and parsed.zone and (off := parsed.dt.utcoffset()):
            offsets.add(off)
    if len(offsets) != 1:
        return None
    return timezone(offsets.pop())


def _is_relative(cand: _Candidate | None) -> bool:
    return cand is not None and cand.source == "text" and not _ABSOLUTE.search(cand.raw)


def find_dates(
    tree: etree._Element,
    url: str,
    meta: dict[str, str],
    article: dict[str, Any] | None,
    headline: etree._Element | None,
    found: Scan,
    *,
    fetched_at: datetime,
    default_tz: tzinfo = WIB,
) -> PageDates:
    """Pick the publication date: structured sources, reconciled with the visible date.

    A time printed without a zone takes `default_tz` (the caller's choice: the page's own
    ISO offset, the site's configured zone, WIB on Indonesian pages). Relative text
    ("5 hours ago", "2 jam yang lalu") is used only when nothing else dates the page.
    """
    structured = _structured(meta, article, PUBLISHED_META, "datePublished", default_tz, fetched_at)
    extra = _structured(meta, article, CREATED_META, "dateCreated", default_tz, fetched_at)
    visible, visible_mod = (None, None)
    if headline is not None:
        visible, visible_mod = _near_headline(headline, fetched_at, default_tz)
    if visible is None:
        visible = _date_classed(found.dates, fetched_at, default_tz)
    relative = None
    if _is_relative(visible):
        relative, visible = visible, None
    chosen, local_z = _reconcile(structured, extra, visible)
    if chosen is None or (chosen.source == "text" and chosen.parsed.precision != "minute"):
        # <time datetime> only when JSON-LD/meta gave nothing the page agrees with: it often
        # belongs to related-story teasers, and finding it costs a walk of the tree.
        timed = _time_elements(tree, found.page.tagged["time"], default_tz, props=not structured)
        if timed:
            chosen, local_z = _reconcile(structured + timed, extra, visible)
    if chosen is None:
        parsed = date_from_url(url, fetched_at=fetched_at, tz=default_tz)
        if parsed is not None:
            chosen = _Candidate(parsed, "url", url)
    if chosen is None:
        chosen = relative
    out = PageDates()
    if chosen is not None:
        out.published_at = chosen.parsed.iso()
        out.source, out.raw, out.precision = chosen.source, chosen.raw, chosen.parsed.precision
    modified = _structured(meta, article, MODIFIED_META, "dateModified", default_tz, fetched_at)
    if modified:
        mod = modified[0].parsed
        if local_z and mod.zone and mod.zone.upper() == "Z":
            mod = _as_local(mod, default_tz)
        out.modified_at = mod.iso()
    elif visible_mod is not None:
        out.modified_at = visible_mod.parsed.iso()
    return out


def _wall_clock_match(shown: datetime, candidates: list[_Candidate]) -> _Candidate | None:
    """A time shown without a zone that is a whole number of quarter hours off a structured
    instant: the same moment on the page's local clock, which tells the page's offset."""
    wall = shown.replace(tzinfo=None, second=0)
    for cand in candidates:
        if cand.parsed.precision != "minute":
            continue
        utc = cand.parsed.dt.astimezone(UTC).replace(tzinfo=None, second=0)
        delta = wall - utc
        if abs(delta) <= timedelta(hours=14) and delta % timedelta(minutes=15) == timedelta(0):
            local = ParsedDate(
                cand.parsed.dt.astimezone(timezone(delta)), "minute", cand.parsed.zone
            )
            return _Candidate(local, cand.source, cand.raw)
    return None


def _reconcile(structured: list[_Candidate], extra: list[_Candidate],
               visible: _Candidate | None) -> tuple[_Candidate | None, bool]:  # fmt: skip
    """The structured date that agrees with the visible one (a wrong "Z" re-read as local)."""
    if visible is None or visible.parsed.precision != "minute":
        if structured:
            return structured[0], False
        return visible, False
    vdt = visible.parsed.dt
    if visible.parsed.zone is None and not vdt.utcoffset():
        # The shown time had no zone and UTC was only the fallback guess: a structured
        # instant that states its zone settles it (before any equally naive meta value).
        zoned = [c for c in structured + extra if c.parsed.zone]
        if (local := _wall_clock_match(vdt, zoned)) is not None:
            return local, False
    for cand in structured + extra:
        if _same_minute(cand.parsed.dt, vdt):
            # Same instant: report it in the zone the page shows (WIB rather than UTC).
            local = ParsedDate(
                cand.parsed.dt.astimezone(vdt.tzinfo), cand.parsed.precision, cand.parsed.zone
            )
            return _Candidate(local, cand.source, cand.raw), False
        if (cand.parsed.zone or "").upper() == "Z":
            local = _as_local(cand.parsed, vdt.tzinfo)  # type: ignore[arg-type]
            if _same_minute(local.dt, vdt):
                return _Candidate(local, cand.source, cand.raw), True
    if visible.parsed.zone is None and (local := _wall_clock_match(vdt, structured + extra)):
        return local, False
    if structured:
        first = structured[0]
        # A real offset (not "Z") is trusted over a page text that may belong to something else.
        if first.parsed.zone and first.parsed.zone.upper() != "Z":
            return first, False
        logger.debug("visible date %s disagrees with %s; page text trusted", visible.raw, first.raw)
    return visible, False


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
_URL_DATE_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|-|\d)")


def date_from_url(url: str, *, fetched_at: datetime, tz: tzinfo = WIB) -> ParsedDate | None:
    """A /2026/01/20/ (or /20260120...) path segment read as a day (in WIB by default)."""
    for pattern in (_URL_DATE, _URL_DATE_COMPACT):
        m = pattern.search(url)
        if m:
            try:
                dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=tz)
            except ValueError:
                continue
            return sane(ParsedDate(dt, "day", None), fetched_at)
    return None
