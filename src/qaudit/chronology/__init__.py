"""The case chronology (``[[events]]``) and working days in England: used by the rules, check-
kpis, fill and actions.
"""
