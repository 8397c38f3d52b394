"""`make demo`: serve the demo site, crawl it with the real CLI, show what the archive holds."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scraper.demo.server import SiteServer, start_server
from scraper.demo.site import build_site

logger = logging.getLogger(__name__)

#: Tried first so that repeated demo runs give the same article URLs (and one
#: archive row each); any free port otherwise.
DEFAULT_PORT = 8642
#: A word the demo articles use, so the search step always has hits.
SEARCH_WORD = "baterai"
STEP_TIMEOUT = 600

SITES_TOML = """[sites.demo]
name = "Warta Gawai (demo)"
start_urls = ["{base}/"]
allowed_domains = ["127.0.0.1"]
"""


def cli_command() -> list[str]:
    """The installed `arsip` script beside this interpreter, else `python -m scraper.cli`."""
    script = shutil.which("arsip", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "scraper.cli"]


def start(port: int | None = None) -> SiteServer:
    """Start the demo site on `port`, or on DEFAULT_PORT falling back to a free one."""
    if port is not None:
        return start_server(build_site, port=port)
    try:
        return start_server(build_site, port=DEFAULT_PORT)
    except OSError:
        return start_server(build_site, port=0)


def _step(title: str, args: list[str], *, capture: bool = False) -> subprocess.CompletedProcess:
    print(f"\n$ arsip {' '.join(args)}", flush=True)
    try:
        done = subprocess.run(
            [*cli_command(), *args], capture_output=capture, text=True, timeout=STEP_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"demo: the {title} step did not finish in {STEP_TIMEOUT} s") from None
    if done.returncode != 0:
        if capture:
            sys.stderr.write(done.stderr)
        raise SystemExit(f"demo: the {title} step failed (exit code {done.returncode})")
    return done


def run_demo(db: Path, port: int | None = None) -> int:
    """Crawl the demo site into `db`, then print stats, one search and the first record."""
    server = start(port)
    print(f"demo site: {server.base_url}/ ({len(server.pages)} pages)", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="arsip-demo-") as tmp:
            sites = Path(tmp) / "demo-sites.toml"
            sites.write_text(SITES_TOML.format(base=server.base_url), encoding="utf-8")
            common = ["--db", str(db)]
            started = time.perf_counter()
            fast = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]
            _step("crawl", ["crawl", "--sites", str(sites), *common, *fast])
            print(f"(crawl took {time.perf_counter() - started:.1f} s)")
            _step("stats", ["stats", *common])
            _step("search", ["search", SEARCH_WORD, "--limit", "3", *common])
            exported = _step("export", ["export", "--format", "jsonl", *common], capture=True)
            first = next((line for line in exported.stdout.splitlines() if line.strip()), None)
            if first is None:
                raise SystemExit("demo: the archive is empty after the crawl")
            print(json.dumps(json.loads(first), ensure_ascii=False, indent=2))
    finally:
        server.shutdown()
        server.server_close()
    return 0
