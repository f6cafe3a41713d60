"""Rule sets and the chronology's event kinds, as TOML data (read with ``qaudit.shipped``)."""
