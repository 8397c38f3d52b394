"""Cross-run duplicate lookup: which original a new record copies, in a bigger archive."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from scraper.archive import Archive
from scraper.fingerprint import content_hash, simhash
from scraper.items import Article

VOCABULARY = (
    "ponsel baterai kamera layar prosesor jaringan operator sinyal aplikasi data keamanan "
    "server internet harga pasar fitur sistem perangkat konsumen teknologi satelit kabel "
    "kota desa pemerintah regulasi investor layanan digital pembayaran dompet transaksi"
)
WORDS = VOCABULARY.split()


def story(n: int) -> str:
    """A distinct 300-word body per n: articles that are not copies of each other."""
    rng = random.Random(n)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(300))


def article(url: str, body: str) -> Article:
    return Article(
        url=url,
        title="Judul",
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        word_count=len(body.split()),
        site="uji",
    )


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.db") as arc:
        arc.save_batch([article(f"https://uji.id/{n}/", story(n)) for n in range(300)])
        yield arc


def test_a_copy_points_at_the_original_of_its_group_never_at_a_copy(archive):
    body = story(1000)
    edited = body + " baca juga berita lainnya"
    archive.save_batch(
        [article("https://uji.id/near/", edited), article("https://uji.id/exact/", body)]
    )
    # Neither is dated: the first archived is the original, the other its copy,
    # and a third copy (even an exact one of the copy) points at the original.
    assert archive.get("https://uji.id/exact/")["duplicate_of"] == "https://uji.id/near/"
    found = archive.find_duplicate(content_hash(body), simhash(body), "https://lain.id/x/")
    assert found == "https://uji.id/near/"


def test_a_light_edit_finds_its_original_among_many(archive):
    body = story(42) + " sumber redaksi"
    found = archive.find_duplicate(content_hash(body), simhash(body), "https://lain.id/y/")
    assert found == "https://uji.id/42/"


def test_a_new_story_has_no_original(archive):
    body = "Cerita yang sama sekali lain tentang kereta cepat, kopi, dan hujan di Bandung. " * 6
    assert archive.find_duplicate(content_hash(body), simhash(body), "https://lain.id/z/") is None


def test_last_seen_counts_as_the_stored_date_when_asked(archive):
    plain = archive.known_url_dates(["https://uji.id/1/"])
    seen = archive.known_url_dates(["https://uji.id/1/"], seen=True)
    assert plain == {"https://uji.id/1/": None}  # the article gave no date of its own
    last_seen = datetime.fromisoformat(archive.get("https://uji.id/1/")["last_seen"])
    assert seen == {"https://uji.id/1/": last_seen.replace(tzinfo=None)}
