"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import build_archive_db


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory) -> Path:
    """A small archive (three articles, two sites) in a real SQLite file."""
    return build_archive_db(tmp_path_factory.mktemp("archive") / "archive.db")
