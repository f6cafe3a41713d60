"""Values in messages as a person reads them (no Python reprs on a user's screen)."""

from __future__ import annotations

import datetime as dt


def readable(value: object, limit: int = 60) -> str:
    """A value in a message as a person reads it, never a Python repr: text in “quotes”
    with each line break shown as ⏎ and other control characters as spaces, cut with an
    ellipsis past ``limit`` characters; a date as YYYY-MM-DD; yes/no; a table or a list."""
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ⏎ ")
        text = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
        if len(text) > limit:
            text = text[:limit - 1].rstrip() + "…"
        return f"“{text}”"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return ", ".join(readable(v, limit) for v in value) if value else "an empty list"
    return str(value)
