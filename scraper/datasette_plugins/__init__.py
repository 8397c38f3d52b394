"""Datasette plugins that `arsip serve` loads with --plugins-dir."""
