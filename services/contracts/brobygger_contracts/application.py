"""The contracts service's eventsourcing Application arrives with its aggregates (see domain.py)."""
