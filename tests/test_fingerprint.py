"""Fingerprints: exact copies hash alike, light edits stay near, distinct stories stay far."""

from __future__ import annotations

import random

from scraper.fingerprint import NEAR_DUPLICATE_BITS, bands, content_hash, hamming, simhash

STORY = (
    "Xiaomi memastikan kerja sama dengan Leica berlanjut hingga beberapa tahun ke depan. "
    "Kabar perpisahan kedua perusahaan dibantah langsung oleh eksekutif Xiaomi dalam acara "
    "peluncuran produk terbaru di Beijing. Tim insinyur di Beijing dan ahli optik di Wetzlar "
    "disebut bekerja bersama setiap hari untuk mengembangkan lensa dan profil warna baru. "
    "Pengguna ponsel flagship tetap mendapat mode Authentic dan Vibrant pada kamera utama, "
    "sementara seri berikutnya dijanjikan membawa sensor yang lebih besar dan prosesor gambar "
    "yang dirancang bersama. Analis menilai kemitraan ini penting bagi citra premium Xiaomi."
)
OTHER = (
    "Pemerintah mulai menguji jaringan satelit untuk sekolah di desa terpencil bulan depan. "
    "Sebanyak dua ratus titik akses dipasang di wilayah timur dengan kecepatan hingga lima "
    "puluh megabit per detik. Guru dan murid akan mendapat pelatihan memakai perangkat baru, "
    "dan operator lokal bertugas merawat antena serta panel surya di setiap lokasi."
)


def test_content_hash_ignores_case_spacing_and_punctuation():
    assert content_hash(STORY) == content_hash("  " + STORY.upper().replace(". ", ".\n\n"))
    assert content_hash(STORY) != content_hash(STORY + " Tambahan.")


MORE = (
    "Di pasar dalam negeri, penjualan ponsel kelas atas tumbuh pada kuartal ketiga meski harga "
    "rata-rata naik. Toko daring mencatat permintaan tertinggi datang dari kota besar di Jawa "
    "dan Sumatra, terutama untuk model dengan kamera zoom dan baterai besar. Beberapa merek "
    "menawarkan cicilan tanpa bunga serta tukar tambah untuk menarik pembeli baru, sedangkan "
    "layanan purnajual diperluas ke kota kecil agar konsumen tidak perlu mengirim perangkat "
    "jauh ketika membutuhkan perbaikan. Pengamat memperkirakan persaingan akan semakin ketat "
    "menjelang akhir tahun ketika sejumlah produsen meluncurkan seri baru secara bersamaan."
)
ARTICLE = f"{STORY} {MORE}"


def test_light_edits_of_a_news_length_article_stay_within_the_threshold():
    one_word = ARTICLE.replace("Beijing dan ahli", "Shanghai dan ahli")
    assert hamming(simhash(ARTICLE), simhash(one_word)) <= NEAR_DUPLICATE_BITS
    restyled = ARTICLE.upper().replace(". ", ".\n\n")
    assert simhash(ARTICLE) == simhash(restyled)
    reordered = " ".join(reversed(ARTICLE.split(". ")))
    assert hamming(simhash(ARTICLE), simhash(reordered)) <= NEAR_DUPLICATE_BITS
    syndicated = ARTICLE + " Artikel ini telah tayang di situs mitra kami."
    assert hamming(simhash(ARTICLE), simhash(syndicated)) <= NEAR_DUPLICATE_BITS


def test_distinct_stories_are_far_apart():
    assert hamming(simhash(STORY), simhash(OTHER)) > 3 * NEAR_DUPLICATE_BITS


def test_simhash_fits_a_signed_64_bit_column_and_empty_text_is_zero():
    assert simhash("") == 0
    for text in (STORY, OTHER, "satu", "dua kata"):
        assert -(1 << 63) <= simhash(text) < (1 << 63)


def test_hashes_within_the_threshold_share_a_band():
    rng = random.Random(3)
    for _ in range(500):
        a = rng.getrandbits(64)
        b = a
        for bit in rng.sample(range(64), NEAR_DUPLICATE_BITS):
            b ^= 1 << bit
        assert set(enumerate(bands(a))) & set(enumerate(bands(b)))
