"""Matching's aggregates (Match: proposal -> accepted/declined) arrive with the matching issue.

Until then matching only keeps its candidate projection (projections.py), built from events.
"""
