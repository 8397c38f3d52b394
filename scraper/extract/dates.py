"""Read one date string (ISO, Indonesian or English text, relative) into an aware datetime."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

logger = logging.getLogger(__name__)

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

_ZONES = {"wib": WIB, "wita": WITA, "wit": WIT, "z": UTC, "utc": UTC, "gmt": UTC}
# Zone abbreviations that name one offset (IST, which names three, is left out).
_ABBREVIATIONS = {
    "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
    "bst": 1, "cet": 1, "mez": 1, "cest": 2, "mesz": 2, "eet": 2, "eest": 3, "msk": 3,
    "sgt": 8, "hkt": 8, "awst": 8, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "nzst": 12,
    "nzdt": 13,
}  # fmt: skip
for _abbr, _hours in _ABBREVIATIONS.items():
    _ZONES[_abbr] = timezone(timedelta(hours=_hours), _abbr.upper())
_SPELLED_ZONES = {"barat": "wib", "tengah": "wita", "timur": "wit"}

MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "januari january jan",
        "februari pebruari february feb peb",
        "maret march mar",
        "april apr",
        "mei may",
        "juni june jun",
        "juli july jul",
        "agustus august agu agt ags aug",
        "september sept sep",
        "oktober october okt oct",
        "november nopember nov nop",
        "desember december des dec",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _num

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAYS = (
    r"senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
)
_ZONE = (
    r"(?P<tz>waktu\s+indonesia\s+(?:barat|tengah|timur)|wita|wib|wit|utc|gmt|z|"
    r"(?:" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")(?![a-z])|"
    r"[+-](?:[01]\d|2[0-3]):?[0-5]\d)"
)
_TIME = (
    r"(?:\s*(?:,|\||-|–|—|/|pukul|jam|at|@)?\s*(?:pukul|jam)?\s*"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)"
)

# 2026-01-20T19:45:00+07:00, "2015-11-05 T10:08:58Z", "2023-11-02T20-59-53Z", "2023/11/02 20:59:53"
_ISO = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:(?:\s*T\s*(?P<H1>\d{1,2})[:\-.](?P<M1>\d{2})(?:[:\-.](?P<S1>\d{2}))?"
    r"|\s+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>wita|wib|wit|utc|gmt|z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?\b",
    re.I,
)
# 24/11/2026, 09:11 WIB  ·  13/01/2021 18:07  ·  08/1/2026 20:19
_DMY = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?!\d)\)?"
    + _TIME
    + r"?\s*"
    + _ZONE
    + r"?(?![a-z])",
    re.I,
)
# Selasa, 20 Jan 2026 19:45 WIB  ·  8 Januari 2026 pukul 07.30  ·  16 Feb 2016 at 09:10 WIB
_TEXT_DMY = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>"
    + _MONTH
    + r")\.?,?\s+(?P<y>\d{4})(?!\d)"
    + _TIME
    + r"?\s*"
    + _ZONE
    + r"?(?![a-z])",
    re.I,
)
# Maret 30, 2015  ·  March 3, 2020 at 10:00 am
_TEXT_MDY = re.compile(
    r"\b(?P<mon>"
    + _MONTH
    + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)"
    + _TIME
    + r"?\s*"
    + _ZONE
    + r"?(?![a-z])",
    re.I,
)
# Nov 19, 6:51 AM (the year implied by the fetch date)  ·  November 20 15:23 2019
_TEXT_MD_TIME = re.compile(
    r"\b(?P<mon>" + _MONTH + r")\.?\s+(?P<d>\d{1,2}),?\s+(?P<H>\d{1,2})[:.](?P<M>\d{2})"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s+(?P<y>\d{4}))?(?!\d)",
    re.I,
)
# Mei 2024
_TEXT_MY = re.compile(r"\b(?P<mon>" + _MONTH + r")\.?\s+(?P<y>\d{4})(?!\d)", re.I)
# Rabu (26/9) — weekday with day/month, year implied by the fetch date
_DAY_DM = re.compile(r"\b(?:" + _DAYS + r")\s*\((?P<d>\d{1,2})/(?P<m>\d{1,2})\)", re.I)
_RELATIVE = re.compile(
    r"\b(?P<n>\d{1,3}|se|satu|beberapa|an?|a few|few)\s*"
    r"(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan|tahun|"
    r"seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s*(?:yang\s+)?(?:lalu|ago)\b",
    re.I,
)
_SINGLE_UNIT = re.compile(
    r"\b(?P<unit>sedetik|semenit|sejam|sehari|seminggu|sebulan|setahun)\s+(?:yang\s+)?lalu\b", re.I
)
_UNIT_SECONDS = {
    "detik": 1, "second": 1, "menit": 60, "minute": 60, "min": 60, "jam": 3600, "hour": 3600,
    "hr": 3600, "hari": 86400, "day": 86400, "minggu": 604800, "pekan": 604800, "week": 604800,
    "bulan": 2592000, "month": 2592000, "tahun": 31536000, "year": 31536000,
}  # fmt: skip
_YESTERDAY = re.compile(r"\b(kemarin|yesterday)\b", re.I)
_JUST_NOW = re.compile(r"\b(baru saja|just now)\b", re.I)
_INDONESIAN = re.compile(
    r"\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|januari|februari|pebruari|maret|"
    r"mei|juni|juli|agustus|oktober|desember|pukul|wib|wita|wit|lalu)\b",
    re.I,
)
_LEADING_WORDS = re.compile(
    r"^(?:(?:last\s+)?(?:posted|published|updated|modified)(?:\s+on)?|diperbarui|diterbitkan|"
    r"dipublikasikan|terbit|dimuat|tanggal|on)\b[\s:,.-]*",
    re.I,
)
# "28.04.2023 01:48 min": a video's running time beside the date, not a clock.
_DURATION = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:min|mins|minutes|menit)\b\.?", re.I)
_HAS_MONTH_WORD = re.compile(r"\b(?:" + _MONTH + r")\b", re.I)


@dataclass(frozen=True)
class ParsedDate:
    """An aware datetime plus how precise the source was and which zone it named."""

    dt: datetime
    precision: str  # minute | day | month
    zone: str | None = None  # "Z", "WIB", "+07:00"... as written; None when naive

    def iso(self) -> str:
        return self.dt.isoformat(timespec="seconds")


def _zone(label: str | None, default: tzinfo) -> tzinfo:
    if not label:
        return default
    low = label.lower()
    if low.startswith("waktu"):  # "Waktu Indonesia Barat" spelled out
        low = _SPELLED_ZONES[low.split()[-1]]
    if low in _ZONES:
        return _ZONES[low]
    sign = -1 if low[0] == "-" else 1
    digits = low[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _build(
    y: int, mo: int, d: int, groups: dict[str, str | None], default_tz: tzinfo, *, hkey: str = "H"
) -> ParsedDate | None:
    hour = groups.get(hkey)
    minute = groups.get(hkey.replace("H", "M"))
    second = groups.get(hkey.replace("H", "S"))
    tzlabel = groups.get("tz")
    try:
        if hour is None:
            return ParsedDate(datetime(y, mo, d, tzinfo=_zone(tzlabel, default_tz)), "day", tzlabel)
        h = int(hour)
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        dt = datetime(
            y, mo, d, h, int(minute or 0), int(second or 0), tzinfo=_zone(tzlabel, default_tz)
        )
    except (ValueError, OverflowError):
        return None
    return ParsedDate(dt, "minute", tzlabel)


def sane(parsed: ParsedDate | None, fetched_at: datetime) -> ParsedDate | None:
    """The date, unless it is impossible for a news page fetched at `fetched_at`."""
    # Dates before the web or well after the fetch are misreads (phone numbers, ids...).
    if parsed is None or not 1990 <= parsed.dt.year <= fetched_at.year + 1:
        return None
    if parsed.dt - fetched_at > timedelta(days=2):
        return None
    return parsed


def parse_iso(text: str, *, default_tz: tzinfo = WIB) -> ParsedDate | None:
    """Machine dates (JSON-LD, meta, <time datetime>), tolerating the odd shapes sites emit."""
    m = _ISO.search(text)
    if not m:
        return None
    g = m.groupdict()
    hkey = "H1" if g.get("H1") else "H"
    return _build(int(g["y"]), int(g["m"]), int(g["d"]), g, default_tz, hkey=hkey)


def _relative(text: str, fetched_at: datetime) -> ParsedDate | None:
    m = _RELATIVE.search(text)
    single = None if m else _SINGLE_UNIT.search(text)
    if m or single:
        if m:
            n_raw = m.group("n").lower()
            n = (
                int(n_raw)
                if n_raw.isdigit()
                else (3 if n_raw in ("beberapa", "a few", "few") else 1)
            )
            unit = m.group("unit").lower()
        else:
            n, unit = 1, single.group("unit").lower()[2:]  # type: ignore[union-attr]
        unit = (
            unit.rstrip("s") if unit not in ("detik", "jam", "minggu", "bulan", "tahun") else unit
        )
        seconds = next((v for k, v in _UNIT_SECONDS.items() if unit.startswith(k)), None)
        if seconds is None:
            return None
        dt = fetched_at - timedelta(seconds=n * seconds)
        return ParsedDate(dt.astimezone(WIB), "minute" if seconds < 86400 else "day", None)
    if _JUST_NOW.search(text):
        return ParsedDate(fetched_at.astimezone(WIB), "minute", None)
    if _YESTERDAY.search(text):
        return ParsedDate((fetched_at - timedelta(days=1)).astimezone(WIB), "day", None)
    return None


def parse_date(
    text: str, *, fetched_at: datetime, default_tz: tzinfo = WIB, fallback: bool = True
) -> ParsedDate | None:
    """Parse one short date string; None when it holds no date.

    Own regexes cover the shapes Indonesian and English news pages print; only
    a leftover short string with a month word goes to dateparser (slow, cached).
    """
    if not text:
        return None
    text = _DURATION.sub("", " ".join(text.split())[:200])
    if default_tz is not WIB and _INDONESIAN.search(text):
        default_tz = WIB  # an Indonesian-worded date is Indonesian time, whatever the page's lang
    for pattern in (_TEXT_DMY, _TEXT_MDY):
        m = pattern.search(text)
        if m:
            g = m.groupdict()
            got = _build(int(g["y"]), MONTHS[g["mon"].lower()], int(g["d"]), g, default_tz)
            return sane(got, fetched_at)
    m = _ISO.search(text)
    if m:
        return sane(parse_iso(m.group(0), default_tz=default_tz), fetched_at)
    m = _DMY.search(text)
    if m:
        g = m.groupdict()
        d, mo = int(g["d"]), int(g["m"])
        if mo > 12 >= d:  # month-first (US) only when day-first is impossible
            d, mo = mo, d
        year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
        return sane(_build(year, mo, d, g, default_tz), fetched_at)
    rel = _relative(text, fetched_at)
    if rel:
        return rel
    m = _DAY_DM.search(text)
    if m:
        local = fetched_at.astimezone(default_tz)
        year = local.year
        try:
            dt = datetime(year, int(m.group("m")), int(m.group("d")), tzinfo=default_tz)
        except ValueError:
            return None
        if dt.date() > local.date():  # "(26/9)" read in January means last year
            dt = dt.replace(year=year - 1)
        return ParsedDate(dt, "day", None)
    m = _TEXT_MD_TIME.search(text)
    if m:
        g = m.groupdict()
        year = int(g["y"]) if g["y"] else fetched_at.astimezone(default_tz).year
        got = _build(year, MONTHS[g["mon"].lower()], int(g["d"]), g, default_tz)
        if got is not None and not g["y"] and got.dt > fetched_at + timedelta(days=1):
            got = _build(year - 1, MONTHS[g["mon"].lower()], int(g["d"]), g, default_tz)
        return sane(got, fetched_at)
    m = _TEXT_MY.search(text)
    if m:
        try:
            start = datetime(
                int(m.group("y")), MONTHS[m.group("mon").lower()], 1, tzinfo=default_tz
            )
        except ValueError:  # year 0000
            return None
        return sane(ParsedDate(start, "month"), fetched_at)
    text = _LEADING_WORDS.sub("", text)  # dateparser gives up on "Posted Nov 19, ..."
    if fallback and len(text) <= 60 and _HAS_MONTH_WORD.search(text):
        return sane(
            _dateparser(
                text,
                fetched_at.isoformat(),
                default_tz.utcoffset(fetched_at.replace(tzinfo=None)),
            ),
            fetched_at,
        )
    return None


@lru_cache(maxsize=2048)
def _dateparser(text: str, base_iso: str, offset: timedelta | None) -> ParsedDate | None:
    import dateparser  # imported lazily: it is slow to load and rarely needed

    base = datetime.fromisoformat(base_iso)
    hours = (offset or timedelta(hours=7)).total_seconds() / 3600
    tzname = "Asia/Jakarta" if hours == 7 else f"UTC{hours:+03.0f}00"
    try:
        dt = dateparser.parse(
            text,
            languages=["id", "en"],
            settings={
                "TIMEZONE": tzname,
                "RETURN_AS_TIMEZONE_AWARE": True,
                "RELATIVE_BASE": base.replace(tzinfo=None),
                "PREFER_DAY_OF_MONTH": "first",
                "PREFER_DATES_FROM": "past",
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input
        logger.debug("dateparser failed on %r", text, exc_info=True)
        return None
    if dt is None:
        return None
    return ParsedDate(dt, "minute" if (dt.hour or dt.minute) else "day", None)
