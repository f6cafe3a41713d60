"""Audit templates as data (``*.toml`` in this folder) and the catalogue that loads them."""
