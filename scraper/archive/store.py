"""The write side: batched, transactional upserts of articles, URL variants, versions, raw pages."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from scraper import urls
from scraper.archive import dedupe, fts, raw
from scraper.archive.models import article_urls, article_versions, articles, raw_pages
from scraper.archive.records import (
    CONTENT_FIELDS,
    article_values,
    content_changed,
    row_changed,
    row_record,
)
from scraper.clean import same_story
from scraper.items import EXPORT_FIELDS, Article

logger = logging.getLogger(__name__)

#: Bound parameters per IN query; far below SQLite's 32,766 limit and PostgreSQL's.
CHUNK = 500

#: The PostgreSQL advisory lock every archive write transaction takes (one
#: bigint key, "arsipwr": a key space apart from the two-key per-site crawl locks).
WRITE_LOCK = int.from_bytes(b"arsipwr", "big")


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def canonical_of(article: Article) -> str:
    return article.canonical_url or urls.canonicalize(article.url)


def known_urls(conn: Connection, candidates: Iterable[str]) -> set[str]:
    """The given URLs whose variant key is archived (batched IN queries)."""
    by_key: dict[str, list[str]] = {}
    for url in candidates:
        by_key.setdefault(urls.url_key(url), []).append(url)
    keys = list(by_key)
    found: set[str] = set()
    for part in chunks(keys):
        rows = conn.execute(select(article_urls.c.url_key).where(article_urls.c.url_key.in_(part)))
        for (key,) in rows:
            found.update(by_key[key])
    return found


def known_url_dates(
    conn: Connection, candidates: Iterable[str], *, seen: bool = False
) -> dict[str, datetime | None]:
    """For archived URLs among these: when their stored version last changed
    (modified, else published, in naive UTC; None when neither is known).
    Lets a crawl refetch only what a sitemap `lastmod` or feed date says is newer.
    With `seen`, the latest of that and when a crawl last saw the page."""
    by_key: dict[str, list[str]] = {}
    for url in candidates:
        by_key.setdefault(urls.url_key(url), []).append(url)
    found: dict[str, datetime | None] = {}
    changed = func.coalesce(articles.c.modified_utc, articles.c.published_utc)
    for part in chunks(list(by_key)):
        q = (
            select(article_urls.c.url_key, changed, articles.c.last_seen)
            .join(articles, articles.c.id == article_urls.c.article_id)
            .where(article_urls.c.url_key.in_(part))
        )
        for key, when, last_seen in conn.execute(q):
            if seen and last_seen is not None:
                when = max(when, last_seen) if when is not None else last_seen
            for url in by_key[key]:
                found[url] = when
    return found


@dataclass(eq=False)
class _Item:
    index: int
    article: Article
    canonical: str
    values: dict[str, Any]
    keys: dict[str, str]  # url_key -> url
    raw_page: bytes | None
    stems: Mapping[str, str] | None = None  # fts.prestem of the record, when given
    target: int | None = None
    hint: str | None = None  # the caller's duplicate_of, used when no fingerprint matches
    key_url: str = ""  # the row's canonical URL (an updated row keeps its first one)


def save_batch(
    conn: Connection,
    batch: Sequence[Article],
    raw_pages_in: Sequence[bytes | None] | None,
    *,
    run_id: int | None,
    keep_raw: bool,
    stemmed: bool,
    touch: bool = True,
    stems: Sequence[Mapping[str, str] | None] | None = None,
) -> list[str]:
    """Upsert a batch inside the caller's transaction; one outcome per article.

    On PostgreSQL the transaction first takes one advisory lock, so writers on
    any number of machines write one at a time, as SQLite's BEGIN IMMEDIATE
    makes them: each sees every earlier batch whole (URL keys, versions, the
    originals a copy must point at) and none can interleave with another.
    """
    serialise_writers(conn)
    now = datetime.now(UTC).replace(tzinfo=None)
    outcomes: list[str] = [""] * len(batch)
    items = []
    for i, article in enumerate(batch):
        canonical = canonical_of(article)
        values = article_values(article, canonical)
        if values["duplicate_of"] == canonical:
            values["duplicate_of"] = None
        keys = {urls.url_key(u): u for u in (article.url, canonical)}
        page = raw_pages_in[i] if raw_pages_in is not None and i < len(raw_pages_in) else None
        hints = stems[i] if stems is not None and i < len(stems) else None
        items.append(_Item(i, article, canonical, values, keys, page, hints))
    pending = items
    # Two records of one article in a batch are saved in successive rounds, so
    # the second sees the first (and the FTS index never gets stale deletes).
    saved: list[_Item] = []
    while pending:
        pending = _save_round(conn, pending, outcomes, now, run_id, keep_raw, stemmed, touch, saved)
    if saved:
        _assign_roles(conn, sorted(saved, key=lambda i: i.index), outcomes)
    return outcomes


def serialise_writers(conn: Connection) -> None:
    """On PostgreSQL, wait for the archive's write lock (released at commit or rollback)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))


def _save_round(
    conn: Connection,
    items: list[_Item],
    outcomes: list[str],
    now: datetime,
    run_id: int | None,
    keep_raw: bool,
    stemmed: bool,
    touch: bool,
    saved: list[_Item],
) -> list[_Item]:
    all_keys = list({k for item in items for k in item.keys})
    key_to_id: dict[str, int] = {}
    for part in chunks(all_keys):
        q = select(article_urls.c.url_key, article_urls.c.article_id)
        key_to_id.update(conn.execute(q.where(article_urls.c.url_key.in_(part))).all())
    canon_to_id: dict[str, int] = {}
    for part in chunks(list({item.canonical for item in items})):
        q = select(articles.c.canonical_url, articles.c.id).where(
            articles.c.canonical_url.in_(part)
        )
        canon_to_id.update(conn.execute(q).all())

    this_round: list[_Item] = []
    later: list[_Item] = []
    claimed_ids: set[int] = set()
    claimed_keys: set[str] = set()
    shared = _shared_canonicals(conn, items, key_to_id, canon_to_id)
    for item in items:
        if item.index in shared:
            # Its canonical names another, different archived article (a
            # theme's section URL on every post): key it by its own URL, and
            # look that up afresh in the next round.
            item.canonical = item.values["canonical_url"] = urls.canonicalize(item.article.url)
            item.keys = {urls.url_key(item.canonical): item.canonical}
            later.append(item)
            continue
        target = canon_to_id.get(item.canonical) or next(
            (key_to_id[k] for k in item.keys if k in key_to_id), None
        )
        if target in claimed_ids or not claimed_keys.isdisjoint(item.keys):
            later.append(item)
            continue
        if target is not None:
            claimed_ids.add(target)
        claimed_keys.update(item.keys)
        item.target = target
        this_round.append(item)

    stored = _load_rows(conn, [i.target for i in this_round if i.target is not None])
    for item in this_round:
        # Roles are decided after the writes (`_assign_roles`); what the caller
        # said is kept as a hint. An article is no copy of itself: after a site
        # changes an article's canonical URL, a lookup can find its own row.
        dup, item.values["duplicate_of"] = item.values["duplicate_of"], None
        item.key_url = stored[item.target].canonical_url if item.target else item.canonical
        if dup and dup != item.key_url and urls.url_key(dup) not in item.keys:
            item.hint = dup
    new_items = [i for i in this_round if i.target is None]
    changed = [
        i
        for i in this_round
        if i.target is not None and content_changed(stored[i.target], i.values)
    ]
    changed_ids = {i.index for i in changed}
    rest = [i for i in this_round if i.target is not None and i.index not in changed_ids]
    # Links, related posts and other widget-borne fields: the row follows the
    # page, but no version is kept of a "Baca juga" rotation.
    refreshed = [i for i in rest if row_changed(stored[i.target], i.values)]
    unchanged = [i for i in rest if i not in refreshed]

    if new_items:
        rows = [
            {**i.values, "first_seen": now, "last_seen": now, "version": 1, "run_id": run_id}
            for i in new_items
        ]
        stmt = insert(articles).returning(articles.c.id, sort_by_parameter_order=True)
        for item, new_id in zip(new_items, conn.execute(stmt, rows).scalars(), strict=True):
            item.target = new_id
            outcomes[item.index] = "new"
        fts.insert_rows(
            conn,
            [fts.fts_values(i.target, i.values, stemmed=stemmed, hints=i.stems) for i in new_items],
        )

    if changed:
        _save_versions(conn, [(i.target, stored[i.target]) for i in changed], now)
        fts.delete_rows(
            conn,
            [fts.fts_values(i.target, stored[i.target]._mapping, stemmed=stemmed) for i in changed],
        )
        conn.execute(
            update(articles).where(articles.c.id == bindparam("_id")),
            [
                {
                    **i.values,
                    # The key stays put: other rows' duplicate_of point at it.
                    "canonical_url": stored[i.target].canonical_url,
                    "_id": i.target,
                    "last_seen": now,
                    "version": stored[i.target].version + 1,
                    "run_id": run_id,
                }
                for i in changed
            ],
        )
        fts.insert_rows(
            conn,
            [fts.fts_values(i.target, i.values, stemmed=stemmed, hints=i.stems) for i in changed],
        )
        for item in changed:
            outcomes[item.index] = "updated"

    if refreshed:
        fixed = {"canonical_url", "duplicate_of"}
        conn.execute(
            update(articles).where(articles.c.id == bindparam("_id")),
            [
                {
                    **{k: v for k, v in i.values.items() if k not in fixed},
                    "_id": i.target,
                    "last_seen": now if touch else stored[i.target].last_seen,
                }
                for i in refreshed
            ],
        )
        for item in refreshed:
            outcomes[item.index] = "unchanged"

    if unchanged and touch:
        conn.execute(
            update(articles)
            .where(articles.c.id == bindparam("_id"))
            .values(last_seen=bindparam("_seen")),
            [{"_id": i.target, "_seen": now} for i in unchanged],
        )
    for item in unchanged:
        outcomes[item.index] = "unchanged"

    _save_url_variants(conn, this_round, key_to_id)
    if keep_raw:
        _save_raw(conn, [i for i in new_items + changed + refreshed if i.raw_page is not None])
    saved.extend(new_items + changed)
    return later


def _assign_roles(conn: Connection, items: list[_Item], outcomes: list[str]) -> None:
    """Original or copy, for each new or changed record, in batch order.

    The original of a story is its earliest-published copy (an undated copy
    comes after dated ones, the first archived breaks ties). A record that
    matches originals (exact or near fingerprint) joins their group; every
    other member becomes a copy of the group's earliest, and the copies that
    pointed at a demoted original follow it: no copy ever points at a copy.
    Runs in the writer's transaction, after the batch's rows are written, so
    it sees the records of this batch and (under the write lock) every
    writer's committed ones.
    """
    # Every saved row was just written with duplicate_of NULL: only copies
    # need an update.
    pool = dedupe.Pool(conn, [(i.values["content_hash"], i.values["simhash"]) for i in items])
    for item in items:
        me = dedupe.Candidate(item.target, item.key_url, item.values["published_utc"])
        group = pool.originals_like(
            item.values["content_hash"],
            item.values["simhash"],
            item.values["word_count"] or 0,
            exclude=item.target,
        )
        if group:
            winner = min([me, *group], key=dedupe.Candidate.order)
            for member in (me, *group):
                if member is not winner:
                    _point_at(conn, member, winner.canonical_url)
                    pool.point_at(member, winner.canonical_url)
        elif item.hint:
            original = dedupe.original_of(conn, item.hint)
            if original not in (me.canonical_url, None):
                _point_at(conn, me, original)
                pool.point_at(me, original)
    roles = _duplicate_of(conn, [i.target for i in items])
    for item in items:
        if roles.get(item.target):
            outcomes[item.index] = "duplicate"


def _point_at(conn: Connection, member: dedupe.Candidate, original: str) -> None:
    """Make `member` a copy of `original`, and its own copies copies of `original` too."""
    _set_duplicate_of(conn, member.id, original)
    conn.execute(
        update(articles)
        .where(articles.c.duplicate_of == member.canonical_url)
        .values(duplicate_of=original)
    )


def _set_duplicate_of(conn: Connection, article_id: int, original: str | None) -> None:
    conn.execute(
        update(articles)
        .where((articles.c.id == article_id) & articles.c.duplicate_of.is_distinct_from(original))
        .values(duplicate_of=original)
    )


def _duplicate_of(conn: Connection, ids: list[int | None]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for part in chunks([i for i in ids if i is not None]):
        q = select(articles.c.id, articles.c.duplicate_of).where(articles.c.id.in_(part))
        found.update((row_id, dup) for row_id, dup in conn.execute(q))
    return found


def _shared_canonicals(
    conn: Connection,
    items: list[_Item],
    key_to_id: dict[str, int],
    canon_to_id: dict[str, int],
) -> set[int]:
    """Indexes of the items whose declared canonical URL belongs to an archived
    article that is not theirs: reached from another fetched URL, with another
    title and a body too far apart to be an edit of it."""
    suspects: dict[int, int] = {}
    for item in items:
        own = urls.url_key(item.article.url)
        declared = urls.url_key(item.canonical)
        if declared == own:
            continue
        target = canon_to_id.get(item.canonical) or key_to_id.get(declared)
        if target is not None and key_to_id.get(own) != target:
            suspects[item.index] = target
    if not suspects:
        return set()
    rows = _load_rows(conn, list(set(suspects.values())))
    by_index = {item.index: item for item in items}
    return {
        index
        for index, target in suspects.items()
        if not same_story(
            rows[target].title,
            rows[target].simhash,
            by_index[index].values["title"],
            by_index[index].values["simhash"],
        )
    }


def _load_rows(conn: Connection, ids: list[int]) -> dict[int, Any]:
    rows: dict[int, Any] = {}
    for part in chunks(ids):
        for row in conn.execute(select(articles).where(articles.c.id.in_(part))):
            rows[row.id] = row
    return rows


def _save_versions(conn: Connection, pairs: list[tuple[int, Any]], now: datetime) -> None:
    fields = tuple(dict.fromkeys(EXPORT_FIELDS + CONTENT_FIELDS))
    conn.execute(
        insert(article_versions),
        [
            {
                "article_id": article_id,
                "version": row.version,
                "content_hash": row.content_hash,
                "fetched_at": row.fetched_at,
                "replaced_at": now,
                "record": row_record(row, fields),
            }
            for article_id, row in pairs
        ],
    )


def _save_url_variants(conn: Connection, items: list[_Item], known: dict[str, int]) -> None:
    rows = {}
    for item in items:
        for key, url in item.keys.items():
            # A key already mapped to another article keeps its first owner.
            if key not in known and key not in rows:
                rows[key] = {"url_key": key, "url": url, "article_id": item.target}
    if rows:
        conn.execute(insert(article_urls), list(rows.values()))


def _save_raw(conn: Connection, items: list[_Item]) -> None:
    if not items:
        return
    ids = [i.target for i in items]
    for part in chunks(ids):
        conn.execute(delete(raw_pages).where(raw_pages.c.article_id.in_(part)))
    rows = []
    for item in items:
        codec, data = raw.compress(item.raw_page or b"")
        rows.append(
            {
                "article_id": item.target,
                "url": item.article.url,
                "fetched_at": item.article.fetched_at,
                "codec": codec,
                "size": len(item.raw_page or b""),
                "stored": len(data),
                "data": data,
            }
        )
    conn.execute(insert(raw_pages), rows)
