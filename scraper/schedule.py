"""`arsip schedule`: a ready-to-paste crontab line for an unattended crawl."""

from __future__ import annotations

import re
import shlex
import sys
import zlib
from pathlib import Path

from scraper.exceptions import UsageError

_EVERY = re.compile(r"^\s*(\d+)\s*([mhd])\s*$", re.I)


def cron_fields(every: str, seed: str = "") -> str:
    """Five cron fields for "30m", "1h", "6h", "1d"... The minute is spread by a
    hash of the command so many archives on one host do not all start at :00."""
    match = _EVERY.match(every)
    if not match:
        raise UsageError(f"--every takes a number and m, h or d (e.g. 30m, 1h, 1d), got {every!r}.")
    n, unit = int(match.group(1)), match.group(2).lower()
    minute = zlib.crc32(seed.encode()) % 60
    if unit == "m":
        if n < 1 or n > 60 or 60 % n:
            raise UsageError(f"--every {every}: minutes must divide an hour (5m, 10m, 15m, 30m).")
        return f"*/{n} * * * *" if n < 60 else f"{minute} * * * *"
    if unit == "h":
        if n < 1 or n > 24 or 24 % n:
            raise UsageError(f"--every {every}: hours must divide a day (1h, 2h, 3h, 4h, 6h, 12h).")
        return f"{minute} * * * *" if n == 1 else f"{minute} */{n} * * *"
    if n != 1:
        raise UsageError(f"--every {every}: only 1d is supported for days.")
    return f"{minute} 3 * * *"


def crawl_command(
    db: str,
    *,
    sites: tuple[str, ...] = (),
    sites_file: str | None = None,
    log_file: str | None = None,
    overrides: tuple[str, ...] = (),
    queue: str | None = None,
) -> str:
    """The shell command cron runs: absolute paths, cd to the project, log file.
    With `queue`, the command enqueues one crawl job per site for the workers."""
    cwd = Path.cwd().resolve()
    exe = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "arsip" else None
    arsip = str(exe) if exe and exe.exists() else f"{sys.executable} -m scraper.cli"
    db_arg = db if "://" in db else str(Path(db).resolve())
    log = str(Path(log_file or "logs/arsip.log").resolve())
    if queue:
        parts = [*shlex.split(arsip), "enqueue", "--db", db_arg, "--queue", queue]
    else:
        parts = [*shlex.split(arsip), "crawl", "--db", db_arg, "--log-file", log]
    for given in (db, log_file, sites_file, queue, *sites, *overrides):
        # cron ends an entry at a line break, whatever the shell quoting says:
        # the rest would become a second crontab line of its own.
        if given and any(c in given for c in "\n\r\x00"):
            raise UsageError(f"schedule arguments cannot contain a line break, got {given!r}.")
    if sites_file:
        parts += ["--sites", str(Path(sites_file).resolve())]
    for name in sites:
        parts += ["--site", name]
    for pair in overrides:
        parts += ["--set", pair]
    run = " ".join(shlex.quote(p) for p in parts)
    logdir = shlex.quote(str(Path(log).parent))
    return f"cd {shlex.quote(str(cwd))} && mkdir -p {logdir} && {run} >> {shlex.quote(log + '.out')} 2>&1"


def crontab_line(every: str, command: str) -> str:
    """One crontab line; the crawl's own lock makes overlapping runs exit 75.
    cron turns a bare % into a newline, so each is escaped (cron removes the
    backslash again before the shell sees the command)."""
    escaped = command.replace("%", "\\%")
    return f"{cron_fields(every, command)} {escaped}"
