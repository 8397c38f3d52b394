"""What `arsip show` prints: Markdown a CommonMark parser reads back as the record's
structure, a terminal view with numbered and nested lists, no control characters."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from scraper.archive import Archive
from tests.cli_helpers import arsip, make_article

ORDERED = {
    "ordered": True,
    "items": [
        {"text": "Tentukan anggaran belanja", "children": []},
        {
            "text": "Periksa spesifikasi utama",
            "children": [
                {"text": "Prosesor paling tidak empat inti", "children": []},
                {"text": "Memori delapan gigabita", "children": []},
            ],
        },
        {"text": "Bandingkan masa garansi", "children": []},
    ],
}
BULLETS = {"ordered": False, "items": [{"text": "Toko resmi merek", "children": []}]}
STEPS = {
    "ordered": True,
    "items": [
        {"text": "Tanyakan stok ke penjual", "children": []},
        {"text": "Minta nota pembelian", "children": []},
    ],
}
NOTES = {
    "ordered": True,
    "items": [
        {"text": "Simpan kardus kemasan", "children": []},
        {"text": "Daftarkan garansi daring", "children": []},
    ],
}
# (kind, content) in reading order, the way the extractor writes body_text.
BODY = [
    ("p", "Berikut langkah yang kami sarankan sebelum membeli laptop."),
    ("list", ORDERED),
    ("p", "Setelah itu barulah datang ke toko."),
    ("h", "Tempat membeli"),
    ("list", BULLETS),
    ("list", STEPS),
    ("list", NOTES),
    ("p", "2025. Tahun yang sibuk bagi para produsen."),
    ("p", "# bukan judul, hanya tanda pagar di awal kalimat"),
]


def flat(items):
    for item in items:
        yield item["text"]
        yield from flat(item["children"])


@pytest.fixture(scope="module")
def listed_db(tmp_path_factory):
    body = []
    for kind, content in BODY:
        body += list(flat(content["items"])) if kind == "list" else [content]
    article = make_article(
        7,
        "teknokita",
        "Cara Memilih \u009b31mLaptop\u202e untuk Kuliah",
        "\n\n".join(body),
        headings=[{"level": 2, "text": "Tempat membeli"}],
        lists=[ORDERED, BULLETS, STEPS, NOTES],
    )
    db = tmp_path_factory.mktemp("render") / "archive.db"
    with Archive(str(db)) as archive:
        archive.save_batch([article])
    return db


def text(paragraph) -> str:
    """What a reader sees of a paragraph or heading (escapes resolved)."""
    return "".join(leaf.content for leaf in paragraph.children[0].children)


def _items(node):
    out = []
    for item in node.children:
        shown, children = "", []
        for child in item.children:
            if child.type == "paragraph":
                shown = text(child)
            elif child.type in ("bullet_list", "ordered_list"):
                children = _items(child)
        out.append({"text": shown, "children": children})
    return out


def parse(markdown: str) -> list[tuple[str, object]]:
    """Top-level blocks as a CommonMark parser sees them."""
    tree = SyntaxTreeNode(MarkdownIt("commonmark").parse(markdown))
    out = []
    for node in tree.children:
        if node.type in ("bullet_list", "ordered_list"):
            out.append(("list", {"ordered": node.type == "ordered_list", "items": _items(node)}))
        elif node.type == "paragraph":
            out.append(("p", text(node)))
        elif node.type == "heading":
            out.append((node.tag, text(node)))
    return out


def test_markdown_is_commonmark_with_the_records_lists(listed_db):
    proc = arsip("show", "https://teknokita.example/berita/7/", "--markdown", db=listed_db)
    assert proc.returncode == 0, proc.stderr
    blocks = parse(proc.stdout)
    # After the title, byline and link: the body, block for block.
    body = blocks[-len(BODY) :]
    expected = [("h2", c) if k == "h" else (k, c) for k, c in BODY]
    assert body == expected
    assert blocks[0] == ("h1", "Cara Memilih 31mLaptop untuk Kuliah")


def test_terminal_view_numbers_nests_and_separates_lists(listed_db):
    proc = arsip("show", "https://teknokita.example/berita/7/", db=listed_db)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    at = lines.index("  1. Tentukan anggaran belanja")
    assert lines[at : at + 6] == [
        "  1. Tentukan anggaran belanja",
        "  2. Periksa spesifikasi utama",
        "     • Prosesor paling tidak empat inti",
        "     • Memori delapan gigabita",
        "  3. Bandingkan masa garansi",
        "",
    ]
    assert lines[at + 6] == "Setelah itu barulah datang ke toko."


def test_terminal_and_json_carry_no_control_or_bidi_characters(listed_db):
    shown = arsip("show", "https://teknokita.example/berita/7/", db=listed_db)
    assert "Cara Memilih 31mLaptop untuk Kuliah" in shown.stdout
    as_json = arsip("show", "https://teknokita.example/berita/7/", "--json", db=listed_db)
    assert "\u009b" not in as_json.stdout and "\u202e" not in as_json.stdout
    # Escaped, not lost: the record still holds what the page said.
    assert json.loads(as_json.stdout)["title"] == "Cara Memilih \u009b31mLaptop\u202e untuk Kuliah"
    found = arsip("search", "laptop", db=listed_db)
    assert "Cara Memilih 31mLaptop untuk Kuliah" in found.stdout
    for text in (shown.stdout, found.stdout):
        assert not any(0x80 <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in text)


def test_the_byline_names_the_agency_when_no_person_is_credited():
    from scraper.render import article, markdown

    record = make_article(7, "kabarpagi", "Bursa Asia Dibuka Menguat", "Indeks naik pagi ini.")
    record.authors, record.agency = [], ["Antara"]
    shown = record.to_dict()
    lines = article(shown).splitlines()
    byline = lines[next(i for i, line in enumerate(lines) if "Bursa Asia" in line) + 1]
    assert "Antara" in byline
    assert "Antara" in markdown(shown)
