"""The `arsip` command: thin click commands over the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scraper.exceptions import ArsipError, UsageError

DEFAULT_DB = "archive.db"


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--db PATH_OR_URL` on every command (env ARSIP_DB, default ./archive.db)."""
    return click.option(
        "--db",
        envvar="ARSIP_DB",
        default=DEFAULT_DB,
        show_default=True,
        metavar="PATH_OR_URL",
        help="Archive: an SQLite file path or a database URL.",
    )(func)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filters shared by search and export."""
    for opt in reversed(
        [
            click.option("--site", help="Only this site (its key in sites.toml)."),
            click.option("--section", help="Only this section/category."),
            click.option("--author", help="Only articles by this author."),
            click.option("--tag", help="Only articles with this tag."),
            click.option("--since", metavar="DATE", help="Published on or after (YYYY-MM-DD)."),
            click.option("--until", metavar="DATE", help="Published on or before (YYYY-MM-DD)."),
            click.option(
                "--all",
                "originals_only",
                is_flag=True,
                flag_value=False,
                default=True,
                help="Include copies of other articles (exact and near duplicates).",
            ),
        ]
    ):
        func = opt(func)
    return func


def open_archive(db: str, *, write: bool = False):
    """The archive at `db`, read-only unless `write`. Only a crawl creates one:
    a mistyped --db on a read command must not answer "no matches" from a new,
    empty file."""
    from scraper.archive import Archive

    if "://" not in db and not Path(db).exists():
        raise UsageError(f"no archive at {db}: run `arsip crawl` first, or pass --db.")
    return Archive(db, readonly=not write)


def emit_json(obj: Any) -> None:
    from scraper.safe_text import json_line

    click.echo(json_line(obj))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arsip")
def cli() -> None:
    """arsip: an archive of Indonesian tech news for researchers.

    Crawl news sites into an SQLite archive, then search, show and export it.
    """


@cli.command()
@db_option
@click.option("--sites", "sites_file", type=click.Path(), help="Sites file (default: shipped).")
@click.option("--site", "only", multiple=True, metavar="NAME", help="Crawl only this site.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop each site after N pages.")
@click.option("--refresh", is_flag=True, help="Re-fetch articles already archived.")
@click.option("--since", metavar="DATE", help="Stop listing walks at older articles.")
@click.option("--no-raw", is_flag=True, help="Do not keep the raw page.")
@click.option("--log-file", type=click.Path(), help="Write the crawl log here (rotated).")
@click.option("--max-error-rate", type=click.FloatRange(0, 1), default=0.5, show_default=True)
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Scrapy setting.")
def crawl(
    db, sites_file, only, max_pages, refresh, since, no_raw, log_file, max_error_rate, overrides
):
    """Crawl the configured sites into the archive.

    Example: arsip crawl --site detikinet --max-pages 200
    """
    from scraper.crawl import run_crawl
    from scraper.sites import load_sites, select_sites

    sites = select_sites(load_sites(sites_file), only)
    summary = run_crawl(
        db,
        sites,
        max_pages=max_pages,
        refresh=refresh,
        since=since,
        keep_raw=not no_raw,
        settings=parse_overrides(overrides),
        log_file=log_file,
        progress=sys.stderr.isatty(),
    )
    click.echo(summary.line())
    sys.exit(summary.exit_code(max_error_rate))


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}.")
        out[name.strip()] = value.strip()
    return out


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--url", help="The page's URL (one file only); else read from the page.")
@click.option(
    "--fetched-at",
    metavar="ISO",
    help="When the pages were fetched (ISO 8601 with an offset); relative dates such as "
    "'5 hours ago' count back from it instead of from now.",
)
def extract(files, url, fetched_at):
    """Extract saved pages (.html or .html.gz) and print one JSON record per line.

    Example: arsip extract saved/page.html.gz --fetched-at 2026-01-20T09:00:00+07:00
    """
    from scraper.extract.files import extract_files, parse_fetched_at

    if url and len(files) > 1:
        raise UsageError("--url can only be given with a single file.")
    when = parse_fetched_at(fetched_at) if fetched_at is not None else None
    for record in extract_files(files, url=url, fetched_at=when):
        emit_json(record)


class QueryCommand(click.Command):
    """A command whose query may start with -word (exclude it): an unknown
    single-dash word is the query, not an option, so -h is not help here; an
    unknown --option is still an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = kwargs.setdefault("context_settings", {})
        settings.update(ignore_unknown_options=True, help_option_names=["--help"])
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for param in self.get_params(ctx) for name in param.opts}
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if name.startswith("--") and name not in known:
                raise click.NoSuchOption(name, ctx=ctx)
        return super().parse_args(ctx, args)


@cli.command(cls=QueryCommand)
@db_option
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option("--count", is_flag=True, help="Print only the number of matches.")
def search(db, query, limit, as_json, as_csv, count, **filters):
    """Full-text search, best matches first.

    Example: arsip search 'xiaomi leica' --since 2025-01-01
    """
    from scraper import render

    with open_archive(db) as archive:
        check_site(archive, filters.get("site"))
        if count:
            click.echo(archive.count(query, **filters))
            return
        hits = archive.search(query, limit=limit, **filters)
    render.hits(hits, fmt="json" if as_json else "csv" if as_csv else "text")


def check_site(archive, site: str | None) -> None:
    if site and site not in {s["site"] for s in archive.sites()}:
        raise UsageError(f"unknown site {site!r}: the archive has no articles from it.")


@cli.command()
@db_option
@click.argument("url_or_id")
@click.option("--json", "as_json", is_flag=True, help="The record as JSON.")
@click.option("--markdown", is_flag=True, help="The article as Markdown.")
def show(db, url_or_id, as_json, markdown):
    """Show one archived article.

    Example: arsip show https://example.id/2026/01/xiaomi-leica/
    """
    from scraper import render

    with open_archive(db) as archive:
        record = archive.get(url_or_id)
    if record is None:
        raise UsageError(f"no article {url_or_id!r} in the archive.")
    if as_json:
        emit_json(record)
    else:
        click.echo(render.markdown(record) if markdown else render.article(record))


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@click.option("--chart", type=click.Path(dir_okay=False), help="Also draw articles per week (PNG).")
@click.option("--tz", metavar="ZONE", help="Show dates and group weeks in this zone (IANA name).")
def stats(db, as_json, chart, tz):
    """Counts per site: articles, duplicates, dates (WIB), last crawl, space.

    Example: arsip stats --chart minggu.png
    """
    from scraper import render

    if chart:
        from scraper.chart import check_path

        check_path(chart)  # a bad file name before any work
    with open_archive(db) as archive:
        data = archive.stats(tz=tz)
        timeline = archive.timeline("week", tz=tz) if chart else None
    if chart:
        from scraper.chart import draw

        draw(timeline, chart)
        click.echo(f"chart written to {chart}", err=True)
    if as_json:
        emit_json(data)
    else:
        click.echo(render.stats(data))


@cli.command()
@db_option
@click.option("--sites", "sites_file", type=click.Path(), help="Sites file (default: shipped).")
def sites(db, sites_file):
    """The configured sites, with what the archive holds of each.

    Example: arsip sites
    """
    from scraper import render
    from scraper.sites import load_sites

    configured = load_sites(sites_file)
    archived = {}
    if "://" in db or Path(db).exists():
        with open_archive(db) as archive:
            archived = {s["site"]: s for s in archive.sites()}
    click.echo(render.sites(configured, archived))


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "sqlite"]),
    help="Default: from the -o name (.jsonl, .csv, .parquet, .db; + .gz/.zst), jsonl to stdout. "
    "sqlite: a whole, searchable SQLite copy (e.g. of a PostgreSQL archive, for serve).",
)
@click.option("-o", "--output", default="-", show_default=True, help="File, or - for stdout.")
@filter_options
@click.option("--query", help="Only articles matching this search.")
@click.option("--fields", help="Comma-separated subset of fields.")
@click.option("--excel", is_flag=True, help="CSV: add a BOM so spreadsheets read UTF-8.")
@click.option("--raw", is_flag=True, help="CSV: do not neutralise formula-like cells.")
def export(db, fmt, output, query, fields, excel, raw, **filters):
    """Stream the archive out as JSON lines, CSV or Parquet.

    Example: arsip export --format csv -o artikel.csv --site detikinet
    """
    from scraper.archive.export import infer_format
    from scraper.files import check_not_archive
    from scraper.progress import counter

    if output != "-":
        check_not_archive(output, db, what="the export")  # before any other complaint
    fmt = infer_format(output, fmt, to_terminal=sys.stdout.isatty())
    field_list = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    if fmt == "sqlite":
        # Copies included: the snapshot is the whole archive (--all is implied).
        if query or fields or any(v for k, v in filters.items() if k != "originals_only"):
            raise UsageError("--format sqlite copies the whole archive; drop the filters.")
        with open_archive(db) as archive:
            n = archive.snapshot(output)
        click.echo(f"{n} articles written to {output} (SQLite, searchable)", err=True)
        return
    with open_archive(db) as archive:
        check_site(archive, filters.get("site"))
        out = sys.stdout.buffer if output == "-" else output
        total = archive.count(query, **filters) if sys.stderr.isatty() else None
        with counter(total, "exporting") as progress:
            rows = archive.export(
                fmt,
                out,
                fields=field_list,
                excel=excel,
                raw=raw,
                query=query,
                progress=progress,
                **filters,
            )
    click.echo(f"{rows} rows written to {'stdout' if output == '-' else output}", err=True)


@cli.command()
@db_option
@click.option("--site", help="Only this site's pages.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option(
    "--sites",
    "sites_file",
    type=click.Path(),
    help="Sites file whose `timezone` keys apply, as in the crawl (default: shipped).",
)
def reparse(db, site, since, sites_file):
    """Re-extract archived raw pages with the current extractor (no network).

    Example: arsip reparse --site detikinet
    """
    from scraper.reparse import reparse as run
    from scraper.sites import load_sites

    zones = {key: s.timezone for key, s in load_sites(sites_file).items() if s.timezone}
    with open_archive(db, write=True) as archive:
        check_site(archive, site)
        counts = run(archive, site=site, since=since, timezones=zones)
    click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "pages=0")


@cli.command()
@db_option
def migrate(db):
    """Upgrade an archive made by an older arsip to this version's schema.

    Example: arsip migrate --db archive.db
    """
    from scraper.archive.engine import migrate as run

    before, after = run(db)
    click.echo(
        f"{db}: schema {after}" + (f" (was {before})" if before != after else ", up to date")
    )


@cli.command()
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def runs(db, limit, as_json):
    """Past crawl runs, newest first, with counts and errors.

    Example: arsip runs --limit 5
    """
    from scraper import render
    from scraper.lock import crawl_running
    from scraper.quality import BASELINE_RUNS, annotate

    with open_archive(db) as archive:
        # Older runs beyond the limit are fetched only as the baseline for warnings.
        rows = annotate(archive.runs(limit=limit + BASELINE_RUNS), crawl_running(db))[:limit]
    if as_json:
        for row in rows:
            emit_json(row)
    else:
        click.echo(render.runs(rows))


@cli.command()
@db_option
@click.option("--every", required=True, help="How often: 15m, 30m, 1h, 6h, 1d.")
@click.option("--site", "only", multiple=True, metavar="NAME", help="Crawl only this site.")
@click.option("--sites", "sites_file", type=click.Path(), help="Sites file (default: shipped).")
@click.option("--log-file", type=click.Path(), help="Log file (default: logs/arsip.log).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Scrapy setting.")
@click.option(
    "--queue",
    "queue_url",
    metavar="URL",
    help="Enqueue crawl jobs on this Redis queue for `arsip worker`s instead of crawling here.",
)
def schedule(db, every, only, sites_file, log_file, overrides, queue_url):
    """Print a crontab line that runs the crawl unattended.

    Example: arsip schedule --every 1h --site detikinet >> mycron && crontab mycron
    """
    from scraper.overrides import check_overrides
    from scraper.schedule import crawl_command, crontab_line
    from scraper.sites import load_sites, select_sites

    # Everything the crawl would refuse is refused now, not at 3 a.m.
    if log_file:
        from scraper.files import check_not_archive

        check_not_archive(log_file, db, what="the log")  # not at 3 a.m. either
    check_overrides(parse_overrides(overrides))
    select_sites(load_sites(sites_file), only)
    command = crawl_command(
        db,
        sites=only,
        sites_file=sites_file,
        log_file=log_file,
        overrides=overrides,
        queue=queue_url,
    )
    click.echo(crontab_line(every, command))


def queue_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--queue URL` (env ARSIP_QUEUE, default redis://127.0.0.1:6379/0)."""
    return click.option(
        "--queue",
        "queue_url",
        envvar="ARSIP_QUEUE",
        default="redis://127.0.0.1:6379/0",
        show_default=True,
        metavar="URL",
        help="The Redis job queue.",
    )(func)


@cli.command()
@queue_option
@click.option("--burst", is_flag=True, help="Exit once the queue is empty.")
@click.option(
    "--heartbeat",
    type=click.IntRange(1, 3600),
    default=30,
    show_default=True,
    help="Seconds between job heartbeats; a dead worker's job is retried after ~3.",
)
def worker(queue_url, burst, heartbeat):
    """Run crawl jobs from the queue, one site at a time, until stopped.

    Example: arsip worker --queue redis://queue-host:6379/0
    """
    from scraper.queue import work

    work(queue_url, burst=burst, heartbeat=heartbeat)


@cli.command()
@db_option
@queue_option
@click.option("--sites", "sites_file", type=click.Path(), help="Sites file (default: shipped).")
@click.option("--site", "only", multiple=True, metavar="NAME", help="Enqueue only this site.")
@click.option(
    "--retry-wait",
    type=click.IntRange(0, 86400),
    default=60,
    show_default=True,
    help="Seconds before a failed crawl is retried.",
)
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Scrapy setting.")
def enqueue(db, queue_url, sites_file, only, retry_wait, overrides):
    """Put one crawl job per site on the queue (a site already queued is skipped).

    Example: arsip enqueue --db postgresql+psycopg://arsip@db/arsip
    """
    from scraper.queue import enqueue as put
    from scraper.sites import load_sites, select_sites

    parse_overrides(overrides)  # a malformed --set fails here, not on every worker
    sites = select_sites(load_sites(sites_file), only)
    rows = put(
        queue_url, db, sites, sites_file=sites_file, retry_wait=retry_wait, overrides=overrides
    )
    for row in rows:
        click.echo(f"{row.site}: {row.status} ({row.job_id})")


@cli.command(name="queue")
@queue_option
def queue_cmd(queue_url):
    """Crawl jobs: queued, running, scheduled for a retry, failed and finished.

    Example: arsip queue
    """
    from scraper.queue import format_jobs, jobs

    click.echo(format_jobs(jobs(queue_url)))


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (default: the --host address).",
)
def serve(db, host, port, allow_hosts):
    """Explore the archive in Datasette (read-only, full-text search, canned queries).

    Example: arsip serve --port 8001
    """
    from scraper.serve import serve as run

    sys.exit(run(db, host=host, port=port, allow_hosts=allow_hosts))


def main() -> None:
    """Console entry point: expected errors become one sentence and an exit code."""
    try:
        cli.main(standalone_mode=False)
        sys.stdout.flush()  # a full disk behind stdout fails here, not at exit
    except click.exceptions.Abort:
        click.echo("arsip: aborted.", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ArsipError as exc:
        click.echo(f"arsip: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # `arsip export | head -1`: the reader left; that is not an error.
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:
        # Output to a full disk or /dev/full: one sentence, exit 1. What is still
        # buffered for stdout goes nowhere, so the exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        where = exc.filename or "the output"
        click.echo(f"arsip: cannot write {where}: {exc.strerror or exc}.", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
