"""The search index's stemming: Sastrawi's stems, computed faster, and stems computed ahead."""

from __future__ import annotations

import random

import pytest

from scraper.archive import Archive, fts
from scraper.items import Article

PREFIXES = ["", "di", "ke", "se", "ber", "ter", "me", "mem", "men", "meng", "meny", "pe", "peng"]
PREFIXES += ["per", "memper", "diper", "ku", "kau"]
SUFFIXES = ["", "i", "kan", "an", "nya", "lah", "kah", "ku", "mu", "pun", "isme", "annya"]
CONSONANTS, VOWELS = "bdgklmnprstwy", "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS] + ["nya", "ng"]


def _words() -> list[str]:
    """Affixed dictionary words, and made-up names: the two kinds a news text mixes."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    rng = random.Random(11)
    roots = rng.sample(StemmerFactory().get_words(), 400)
    words = {
        p + r + s for r in roots for p in rng.sample(PREFIXES, 4) for s in rng.sample(SUFFIXES, 3)
    }
    words |= {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(3000)}
    words |= {"diluncurkan", "peluncuran", "kameranya", "belajar", "mempermainkan", "gerigi"}
    return sorted(w for w in words if w.isalpha())


def test_stems_are_sastrawis_own():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    reference = StemmerFactory().create_stemmer()
    words = _words()
    assert len(words) > 6000
    differ = [w for w in words if fts.stem(w) != (reference.stem(w) or w)]
    assert differ == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [("diluncurkan", "luncur"), ("peluncuran", "luncur"), ("kameranya", "kamera")],
)
def test_affixed_words_are_stemmed(word, expected):
    assert fts.stem(word) == expected


@pytest.mark.parametrize("word", ["Samsung", "5g", "iphone15", "abc", "Jakarta"])
def test_words_no_rule_can_touch_pass_through_folded(word):
    assert fts.stem(word) == word.casefold()


def test_stems_computed_ahead_index_the_same_row():
    record = {"title": "Ponsel diluncurkan", "body_text": "Peluncuran kameranya ditunda."}
    hints = fts.prestem(record)
    assert fts.fts_values(1, record, stemmed=True, hints=hints) == fts.fts_values(
        1, record, stemmed=True
    )


def test_a_stem_given_for_other_text_is_not_used():
    record = {"title": "Ponsel diluncurkan", "body_text": "Peluncuran ditunda."}
    wrong = {"Peluncuran ditunda.": "salah sekali"}
    row = fts.fts_values(
        1, {**record, "body_text": "Peluncuran ditunda lagi."}, stemmed=True, hints=wrong
    )
    assert row["body_s"] == fts.stem_text("Peluncuran ditunda lagi.")


def test_an_article_saved_with_stems_given_is_found_by_its_root(tmp_path):
    article = Article(
        url="https://contoh.id/2026/01/ponsel-baru/",
        title="Ponsel baru diluncurkan",
        body_text="Perusahaan itu meluncurkan ponsel dengan kameranya yang baru. " * 5,
        site="contoh",
    )
    record = {"title": article.title, "body_text": article.body_text}
    with Archive(tmp_path / "a.db") as archive:
        assert archive.save_batch([article], stems=[fts.prestem(record)]) == ["new"]
        found = archive.search("luncurkan")
        assert [r["url"] for r in found] == [article.url]
        assert archive.count("kamera") == 1
