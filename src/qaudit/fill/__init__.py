"""Filling an audit: what to ask, what a typed answer means, records to add, and completing."""
