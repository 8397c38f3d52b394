"""Searching the archive: query syntax, Indonesian stemming, ranking, snippets, filters, errors."""

from __future__ import annotations

import pytest

from scraper import Archive
from scraper.archive.query import compile_query
from scraper.exceptions import QueryError, UsageError
from scraper.fingerprint import content_hash, simhash
from scraper.items import Article


def make(slug: str, title: str, body: str, **kw) -> Article:
    kw.setdefault("site", "teknokita")
    kw.setdefault("published_at", "2025-03-04T10:00:00+07:00")
    return Article(
        url=f"https://{kw['site']}.id/2025/03/{slug}/",
        title=title,
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        **kw,
    )


ARTICLES = [
    make(
        "xiaomi-leica",
        "Xiaomi 15 resmi hadir",
        "Ponsel Xiaomi 15 diluncurkan di Jakarta dengan kamera Leica dan baterai besar.",
        authors=["Budi Santoso"],
        tags=["Xiaomi", "Kamera"],
        section="Gadget",
    ),
    make(
        "samsung-galaxy",
        "Samsung umumkan Galaxy baru",
        "Peluncuran Galaxy terbaru digelar pekan ini. Kameranya diklaim lebih tajam di malam hari.",
        authors=["Sari Dewi"],
        tags=["Samsung"],
        section="Gadget",
        published_at="2025-01-31T23:30:00+07:00",
    ),
    make(
        "aplikasi-ojek",
        "Aplikasi ojek daring tambah fitur",
        "Aplikasi transportasi menambah fitur keselamatan untuk pengemudi dan penumpang di Jakarta.",
        site="gadgetin",
        section="Aplikasi",
        published_at="2024-12-01T08:00:00+08:00",
    ),
    make(
        "kafe-digital",
        "Café digital di Bandung",
        "Sebuah café memakai robot untuk mengantar kopi. Pemiliknya menyebut kamera robot membantu.",
        site="gadgetin",
        published_at="2025-02-10T12:00:00+07:00",
    ),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    with Archive(tmp_path_factory.mktemp("search") / "archive.db") as arc:
        arc.save_batch(ARTICLES)
        yield arc


def titles(results):
    return {r["title"] for r in results}


def test_a_root_word_finds_its_prefixed_and_suffixed_forms(archive):
    # diluncurkan (di-kan) and peluncuran (pe-an) both share the stem "luncur".
    assert titles(archive.search("luncurkan")) == {
        "Xiaomi 15 resmi hadir",
        "Samsung umumkan Galaxy baru",
    }


def test_a_word_finds_its_possessive_form(archive):
    found = titles(archive.search("kamera"))
    assert "Samsung umumkan Galaxy baru" in found  # only "Kameranya" in its text
    assert "Xiaomi 15 resmi hadir" in found


def test_without_stemming_only_the_written_form_matches(tmp_path):
    with Archive(tmp_path / "plain.db", stem=False) as arc:
        arc.save_batch(ARTICLES)
        assert titles(arc.search("luncurkan")) == set()
        assert titles(arc.search("diluncurkan")) == {"Xiaomi 15 resmi hadir"}


def test_a_phrase_matches_the_exact_words_in_order(archive):
    assert titles(archive.search('"kamera leica"')) == {"Xiaomi 15 resmi hadir"}
    # Same words, other order: no phrase match.
    assert archive.search('"leica kamera"') == []
    # Exact form: "kameranya" does not satisfy the phrase "kamera diklaim".
    assert archive.search('"kamera diklaim"') == []
    assert titles(archive.search('"kameranya diklaim"')) == {"Samsung umumkan Galaxy baru"}


def test_or_exclusion_and_prefix(archive):
    assert titles(archive.search("xiaomi OR samsung")) == {
        "Xiaomi 15 resmi hadir",
        "Samsung umumkan Galaxy baru",
    }
    assert titles(archive.search("jakarta -ojek")) == {"Xiaomi 15 resmi hadir"}
    assert titles(archive.search('jakarta -"kamera leica"')) == {
        "Aplikasi ojek daring tambah fitur"
    }
    assert titles(archive.search("transport*")) == {"Aplikasi ojek daring tambah fitur"}
    assert titles(archive.search("(xiaomi OR samsung) -galaxy")) == {"Xiaomi 15 resmi hadir"}


def test_all_words_must_match(archive):
    assert titles(archive.search("kamera jakarta")) == {"Xiaomi 15 resmi hadir"}


def test_accents_do_not_matter(archive):
    assert titles(archive.search("cafe")) == {"Café digital di Bandung"}
    assert titles(archive.search("café")) == {"Café digital di Bandung"}


def test_a_title_match_outranks_a_body_match(tmp_path):
    with Archive(tmp_path / "rank.db") as arc:
        arc.save_batch(
            [
                make(
                    "a",
                    "Tips memilih laptop",
                    "Baterai tahan lama dan layar nyaman. Harga bersaing.",
                ),
                make(
                    "b", "Baterai ponsel awet", "Tips sederhana agar daya tahan ponsel lebih lama."
                ),
            ]
        )
        results = arc.search("baterai")
        assert [r["title"] for r in results] == ["Baterai ponsel awet", "Tips memilih laptop"]
        assert results[0]["score"] > results[1]["score"]


def test_snippet_highlights_every_form_that_matched(archive):
    [hit] = archive.search("luncurkan xiaomi")
    assert "[diluncurkan]" in hit["snippet"] and "[Xiaomi]" in hit["snippet"]
    [hit] = archive.search("robot", highlight=("<b>", "</b>"))
    assert "<b>robot</b>" in hit["snippet"] and "[" not in hit["snippet"]


def test_results_carry_what_a_list_shows(archive):
    [hit] = archive.search("ojek")
    assert hit["url"] == "https://gadgetin.id/2025/03/aplikasi-ojek/"
    assert hit["site"] == "gadgetin" and hit["published_at"] == "2024-12-01T08:00:00+08:00"
    assert isinstance(hit["id"], int) and hit["score"] > 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"site": "gadgetin"}, {"Aplikasi ojek daring tambah fitur", "Café digital di Bandung"}),
        ({"section": "gadget"}, {"Xiaomi 15 resmi hadir", "Samsung umumkan Galaxy baru"}),
        ({"author": "sari dewi"}, {"Samsung umumkan Galaxy baru"}),
        ({"tag": "kamera"}, {"Xiaomi 15 resmi hadir"}),
        ({"since": "2025-02-01"}, {"Xiaomi 15 resmi hadir", "Café digital di Bandung"}),
        # 23:30 WIB on the 31st is still the 31st: a bare date is a whole WIB day.
        (
            {"until": "2025-01-31"},
            {"Samsung umumkan Galaxy baru", "Aplikasi ojek daring tambah fitur"},
        ),
        (
            {"since": "2025-01-31T23:00:00+07:00", "until": "2025-02-01"},
            {"Samsung umumkan Galaxy baru"},
        ),
        ({"site": "tidak-ada"}, set()),
    ],
)
def test_filters(archive, filters, expected):
    everything = "di OR dan OR untuk"
    assert titles(archive.search(everything, **filters)) == expected
    assert archive.count(everything, **filters) == len(expected)


def test_limit_and_offset_page_through_results(archive):
    everything = "di OR dan OR untuk"
    pages = [archive.search(everything, limit=2, offset=o) for o in (0, 2)]
    assert [len(p) for p in pages] == [2, 2]
    assert {r["id"] for r in pages[0]}.isdisjoint({r["id"] for r in pages[1]})


@pytest.mark.parametrize("bad", ["2025-13-01", "kemarin", "01/02/2025"])
def test_bad_dates_are_usage_errors(archive, bad):
    with pytest.raises(UsageError, match="not a valid date"):
        archive.search("kamera", since=bad)


@pytest.mark.parametrize(
    "query",
    [
        '"kamera leica',
        "kamera OR",
        "OR kamera",
        "(kamera",
        "kamera)",
        "-kamera",
        "NOT",
        "",
        "   ",
        "-*",
        # Engine syntax the search does not support says so (not "No matches.").
        "NEAR(a b)",
        "title:kamera",
    ],
)
def test_malformed_queries_are_one_plain_sentence(archive, query):
    with pytest.raises(QueryError) as err:
        archive.search(query)
    message = str(err.value)
    assert message.endswith(".") and "\n" not in message
    assert not any(word in message.lower() for word in ("fts5", "sqlite", "select", "syntax error"))


@pytest.mark.parametrize(
    "query", ["kamera^2", "a + b", "{title}", "kamera';--", "https://contoh.id/a"]
)
def test_engine_syntax_is_searched_as_plain_words(archive, query):
    # Every term is quoted before it reaches FTS5, so its operators are inert.
    assert isinstance(archive.search(query), list)
    assert "NEAR(" not in compile_query(query).match.replace('"', "")


def test_index_follows_updates(tmp_path):
    with Archive(tmp_path / "upd.db") as arc:
        first = make("x", "Judul lama", "Tablet murah untuk pelajar.")
        arc.save_batch([first])
        arc.save_batch([make("x", "Judul baru", "Laptop ringan untuk mahasiswa.")])
        assert arc.search("tablet") == [] and arc.search("lama") == []
        assert titles(arc.search("laptop mahasiswa")) == {"Judul baru"}
        assert arc.count("laptop") == 1
        arc.save_batch([make("x", "Judul baru", "Laptop ringan untuk mahasiswa.")])  # unchanged
        assert arc.count("laptop") == 1
        assert arc.rebuild_index() == 1
        assert titles(arc.search("laptop")) == {"Judul baru"} and arc.search("tablet") == []
