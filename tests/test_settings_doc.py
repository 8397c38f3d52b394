"""The README's table of arsip's own settings says what the code does."""

from __future__ import annotations

import re

from scraper import settings
from tests.cli_helpers import ROOT

_ROW = re.compile(r"^\| `(ARSIP_[A-Z_]+)` \| ([^|]+) \|", re.M)


def test_readme_defaults_match_the_settings_module():
    rows = dict(_ROW.findall((ROOT / "README.md").read_text(encoding="utf-8")))
    assert "ARSIP_ARCHIVE_WRITER" in rows and "ARSIP_MAX_PAGES" in rows
    for name, said in rows.items():
        assert hasattr(settings, name), f"README documents {name}, which arsip does not have"
        default = getattr(settings, name)
        said = said.strip()
        if default is None:
            continue  # decided at run time (ARSIP_WORKERS: from the number of cores)
        if said == "empty":
            assert default == "", name
        else:
            assert said.strip("`") == str(default), f"{name}: README {said}, code {default!r}"
