"""`python -m scraper.demo [--db PATH]` runs the offline demo; `... serve [--port N]` only serves."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from scraper.demo.run import run_demo, start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scraper.demo", description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("demo.db"), help="archive to crawl into")
    parser.add_argument("--port", type=int, default=None, help="port for the demo site")
    parser.add_argument("command", nargs="?", choices=["run", "serve"], default="run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return run_demo(args.db, args.port)
    server = start(args.port)
    print(f"serving the demo site on {server.base_url}/ (Ctrl+C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
