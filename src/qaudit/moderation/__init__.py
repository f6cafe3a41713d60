"""The moderation panel: recording its decision on one audit, the summary over many, and weighted
kappa.
"""
