"""Filling an audit: what to ask, what a typed answer means, records to add, completing, and
the drafts of what was typed but not saved (``drafts``, shared by the line walk and the form)."""
