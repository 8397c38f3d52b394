"""`arsip serve`: the archive in Datasette, read-only, with search and canned queries."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType

from scraper.exceptions import UsageError

PLUGINS_DIR = Path(__file__).with_name("datasette_plugins")
#: Signals that stop `arsip serve`; each is passed on to Datasette.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
#: How long Datasette gets to finish after being told to stop, before SIGKILL.
STOP_GRACE_S = 10
#: prctl(2) option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> list[str]:
    """Host header values Datasette answers: the bound address, the loopback
    names when bound to loopback, and `extra` names, each with the port."""
    names = {host, *extra}
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "::1"}
    out = set()
    for name in names:
        name = name.strip().lower()
        if not name:
            continue
        bracketed = f"[{name}]" if ":" in name and not name.startswith("[") else name
        out.add(f"{bracketed}:{port}")
        if port == 80:  # browsers leave the default port out of Host
            out.add(bracketed)
    return sorted(out)


def datasette_command(db: str, metadata_path: Path, *, host: str, port: int) -> list[str]:
    """The datasette invocation; UsageError when the optional extra is missing."""
    if "://" in db:
        raise UsageError("arsip serve works on an SQLite archive file, not a database URL.")
    if not Path(db).is_file():
        raise UsageError(f"no archive at {db}: crawl first (arsip crawl) or pass --db.")
    exe = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which(
        "datasette"
    )
    if exe is None:
        raise UsageError("Datasette is not installed: pip install 'arsip[serve]'.")
    return [
        exe,
        "serve",
        str(Path(db).resolve()),
        "--metadata",
        str(metadata_path),
        "--host",
        host,
        "--port",
        str(port),
        # The Host allow-list and the 405 for write methods (see the plugin).
        "--plugins-dir",
        str(PLUGINS_DIR),
        # No writes from the web UI; SQL is limited to what Datasette allows (SELECT).
        "--setting",
        "allow_download",
        "off",
    ]


def serve(
    db: str, *, host: str = "127.0.0.1", port: int = 8001, allow_hosts: Iterable[str] = ()
) -> int:
    """Run Datasette in the foreground until it exits or arsip is told to stop.

    Datasette runs in its own process group so that stopping arsip (SIGTERM,
    SIGINT, SIGHUP) stops it too: the signal is passed on to the whole group,
    arsip waits for it to exit, and only then removes the temporary folder.
    Returns 0 after a requested stop, else Datasette's exit code.
    """
    from scraper.archive import Archive
    from scraper.archive.views import datasette_metadata

    with tempfile.TemporaryDirectory(prefix="arsip-serve-") as tmp:
        path = Path(tmp) / "metadata.json"
        command = datasette_command(db, path, host=host, port=port)  # checks before touching db
        with Archive(db, readonly=True):  # refuses a foreign, older or newer file in one sentence
            pass
        metadata = datasette_metadata(Path(db).stem)
        hosts = allowed_hosts(host, port, allow_hosts)
        metadata["plugins"] = {"arsip-guard": {"allowed_hosts": hosts}}
        path.write_text(json.dumps(metadata), encoding="utf-8")
        return _run_until_stopped(command)


def _run_until_stopped(command: list[str]) -> int:
    stopped: list[float] = []  # when each stop request came
    child: list[subprocess.Popen[bytes]] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopped.append(time.monotonic())
        if child:
            # A second request to stop does not wait for a graceful shutdown.
            _signal_group(child[0], signal.SIGTERM if len(stopped) == 1 else signal.SIGKILL)

    # Handlers first: a stop that comes while Datasette starts must reach it too.
    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    code = 0
    try:
        if stopped:
            return 0
        linux = sys.platform.startswith("linux")
        proc = subprocess.Popen(
            command, start_new_session=True, preexec_fn=_die_with_parent if linux else None
        )
        child.append(proc)
        if stopped:
            _signal_group(proc, signal.SIGTERM)
        while True:
            try:
                code = proc.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                # Datasette waits for open requests when told to stop; a client
                # that never finishes reading must not keep it serving.
                if stopped and time.monotonic() - stopped[0] > STOP_GRACE_S:
                    _signal_group(proc, signal.SIGKILL)
    finally:
        # Also on an unexpected error here: never leave Datasette running.
        if child and child[0].poll() is None:
            _signal_group(child[0], signal.SIGTERM)
            try:
                child[0].wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                _signal_group(child[0], signal.SIGKILL)
                child[0].wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if stopped else code


def _die_with_parent() -> None:
    """Run in the child before Datasette starts (Linux): SIGTERM when arsip dies,
    even by SIGKILL, which leaves arsip no chance to stop it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux after all: arsip's own handlers still stop Datasette


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)
