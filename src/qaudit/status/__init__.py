"""``qaudit status``: one row per audit of a folder, what needs attention first."""
