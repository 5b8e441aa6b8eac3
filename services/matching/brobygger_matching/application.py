"""Matching's eventsourcing Application arrives with its Match aggregate (see domain.py)."""
