"""Date strings as Indonesian and English news pages print them, read into aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from scraper.extract.dates import WIB, parse_date, parse_iso
from scraper.extract.pagedates import date_from_url

FETCHED = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 12:00 WIB


def iso(text: str, **kwargs) -> str | None:
    parsed = parse_date(text, fetched_at=FETCHED, **kwargs)
    return parsed.iso() if parsed else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Selasa, 20 Jan 2026 19:45 WIB", "2026-01-20T19:45:00+07:00"),
        ("8 Januari 2026 pukul 07.30", "2026-01-08T07:30:00+07:00"),
        ("Kompas.com - 24/11/2026, 09:11 WIB", "2026-11-24T09:11:00+07:00"),
        ("Senin, 12 September 2022 | 14:04 WIB", "2022-09-12T14:04:00+07:00"),
        ("Kamis, 20 Oktober 2016 - 14:31 WIB", "2016-10-20T14:31:00+07:00"),
        ("Rabu, 13/01/2021 18:07 WIB", "2021-01-13T18:07:00+07:00"),
        ("Diperbarui 24 Nov 2026, 10:00 WIB", "2026-11-24T10:00:00+07:00"),
        ("Jum'at, 14 April 2017 - 13:35 wib", "2017-04-14T13:35:00+07:00"),
        ("Jumat , 24 Pebruari 2017, 09:41 WIB", "2017-02-24T09:41:00+07:00"),
        ("24/11/2026 09:11", "2026-11-24T09:11:00+07:00"),
        ("08/1/2026 20:19", "2026-01-08T20:19:00+07:00"),
        ("on 16 Feb 2016 at 09:10 WIB", "2016-02-16T09:10:00+07:00"),
        ("Selasa, 24 Nov 2026 09.11 WIB", "2026-11-24T09:11:00+07:00"),
        ("Senin, 2 Maret 2026 10:15 WITA", "2026-03-02T10:15:00+08:00"),
        ("Senin, 2 Maret 2026 10:15 WIT", "2026-03-02T10:15:00+09:00"),
        ("Jumat, 27 Jumadil Awwal 1438 / 24 February 2017", "2017-02-24T00:00:00+07:00"),
        ("Maret 30, 2015", "2015-03-30T00:00:00+07:00"),
        ("November 18, 2019 at 5:30 pm", "2019-11-18T17:30:00+07:00"),
    ],
)
def test_printed_dates(text: str, expected: str) -> None:
    assert iso(text) == expected


def test_day_month_without_year_takes_the_fetch_year() -> None:
    assert iso("Rabu (26/9)") == "2026-09-26T00:00:00+07:00"


def test_day_month_after_the_fetch_date_is_last_year() -> None:
    assert iso("Senin (28/12)") == "2025-12-28T00:00:00+07:00"


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("2 jam yang lalu", timedelta(hours=2)),
        ("sejam yang lalu", timedelta(hours=1)),
        ("15 menit lalu", timedelta(minutes=15)),
        ("3 hari yang lalu", timedelta(days=3)),
        ("5 hours ago", timedelta(hours=5)),
    ],
)
def test_relative_dates_count_back_from_fetch_time(text: str, ago: timedelta) -> None:
    parsed = parse_date(text, fetched_at=FETCHED)
    assert parsed is not None
    assert parsed.dt == FETCHED - ago
    assert parsed.dt.utcoffset() == timedelta(hours=7)


def test_beberapa_menit_is_a_few_minutes_before_fetch() -> None:
    parsed = parse_date("beberapa menit yang lalu", fetched_at=FETCHED)
    assert parsed is not None
    assert timedelta(0) < FETCHED - parsed.dt <= timedelta(minutes=10)


def test_precision_is_recorded() -> None:
    assert parse_date("20 Jan 2026 19:45", fetched_at=FETCHED).precision == "minute"
    assert parse_date("20 Januari 2026", fetched_at=FETCHED).precision == "day"
    month = parse_date("Mei 2024", fetched_at=FETCHED)
    assert month.precision == "month"
    assert month.dt.day == 1  # never today's day of month


def test_slashed_dates_are_day_first() -> None:
    assert iso("03/04/2026") == "2026-04-03T00:00:00+07:00"


def test_impossible_day_first_date_falls_back_to_month_first() -> None:
    assert iso("11/25/2025") == "2025-11-25T00:00:00+07:00"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tidak ada tanggal di sini",
        "1.229 Views",
        "Rp 2.500.000",
        "31/02/2026",
        "99 Januari 2026",
    ],
)
def test_text_without_a_date_gives_none(text: str) -> None:
    assert parse_date(text, fetched_at=FETCHED) is None


def test_dates_far_in_the_future_are_misreads() -> None:
    assert parse_date("12 Desember 2031", fetched_at=FETCHED) is None


def test_naive_dates_follow_the_given_zone_unless_worded_in_indonesian() -> None:
    assert iso("November 18, 2019 10:00", default_tz=UTC) == "2019-11-18T10:00:00+00:00"
    assert iso("Kamis, 12 November 2015 16:27", default_tz=UTC) == "2015-11-12T16:27:00+07:00"


@pytest.mark.parametrize(
    ("value", "expected", "zone"),
    [
        ("2026-01-20T19:45:00+07:00", "2026-01-20T19:45:00+07:00", "+07:00"),
        ("2016-02-16T13:01:52+0700", "2016-02-16T13:01:52+07:00", "+0700"),
        ("2015-11-12 T16:27:31Z", "2015-11-12T16:27:31+00:00", "Z"),
        ("2023-10-09T21-14-05Z", "2023-10-09T21:14:05+00:00", "Z"),
        ("2023/10/09 21:14:05", "2023-10-09T21:14:05+07:00", None),
        ("2017-04-14 13:35:42", "2017-04-14T13:35:42+07:00", None),
        ("2016-02-16T02:10:56.123Z", "2016-02-16T02:10:56+00:00", "Z"),
    ],
)
def test_machine_dates(value: str, expected: str, zone: str | None) -> None:
    parsed = parse_iso(value)
    assert parsed is not None
    assert parsed.iso() == expected
    assert parsed.zone == zone


def test_machine_date_without_time_is_day_precision() -> None:
    parsed = parse_iso("2026-01-20")
    assert parsed.precision == "day"
    assert parsed.dt.tzinfo == WIB


def test_date_from_url_path() -> None:
    parsed = date_from_url("https://example.id/2026/01/20/judul-berita/", fetched_at=FETCHED)
    assert parsed.iso() == "2026-01-20T00:00:00+07:00"
    assert parsed.precision == "day"
    other = timezone(timedelta(hours=-5))
    assert (
        date_from_url("https://x.test/2019/11/18/a", fetched_at=FETCHED, tz=other).dt.tzinfo
        == other
    )
    assert date_from_url("https://example.id/berita/12345/judul", fetched_at=FETCHED) is None


def test_month_day_time_without_year_takes_the_latest_past_year() -> None:
    assert iso("Posted Nov 19, 6:51 AM") == "2026-11-19T06:51:00+07:00"
    assert iso("Dec 30, 10:00 PM") == "2025-12-30T22:00:00+07:00"
    assert iso("November 20 15:23 2019") == "2019-11-20T15:23:00+07:00"


def test_dateparser_handles_leftover_shapes_with_indonesian_reading() -> None:
    # No own pattern covers a day and month name without a year: the cached dateparser
    # fallback does, reading "Nopember" as Indonesian.
    parsed = parse_date("Sabtu, 19 Nopember", fetched_at=FETCHED)
    assert parsed is not None
    assert (parsed.dt.year, parsed.dt.month, parsed.dt.day) == (2026, 11, 19)
    assert parsed.precision == "day"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jumat (7/3/2025) pukul 21.05 WIT", "2025-03-07T21:05:00+09:00"),
        ("Kamis, 6/3/2025 10:00 with a caption", "2025-03-06T10:00:00+07:00"),
        ("7 Maret 2025 21:05 Waktu Indonesia Tengah", "2025-03-07T21:05:00+08:00"),
        ("07/03/2025 21:05 Waktu Indonesia Timur", "2025-03-07T21:05:00+09:00"),
        ("7 Maret 2025 21:05 Waktu Indonesia Barat", "2025-03-07T21:05:00+07:00"),
    ],
)
def test_slashed_and_spelled_out_zones(text: str, expected: str) -> None:
    assert iso(text) == expected


def test_impossible_offset_is_not_taken_as_a_zone() -> None:
    parsed = parse_iso("2025-03-07T21:05:00+07:99")
    assert parsed is not None
    assert parsed.zone is None
    assert parsed.iso() == "2025-03-07T21:05:00+07:00"
