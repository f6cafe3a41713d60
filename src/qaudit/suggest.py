"""Did-you-mean hints for names a user typed: one helper for every command and rule."""

from __future__ import annotations

from collections.abc import Iterable

from qaudit.readable import readable


def did_you_mean(wanted: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'grade'?"`` for the closest choices, or ``""`` when none is close."""
    import difflib  # only when there is a name to suggest for: most runs never need it

    close = difflib.get_close_matches(wanted, list(choices), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(readable(c) for c in close)}?" if close else ""
