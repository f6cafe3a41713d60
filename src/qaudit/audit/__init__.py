"""The audit file itself: reading (fast, read-only), writing back (atomic, layout kept), locating
keys, value kinds, scaffolding and JSON Schema.
"""
