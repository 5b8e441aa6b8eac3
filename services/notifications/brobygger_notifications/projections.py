"""Notifications keeps no read model yet: its list is read from its own event log (application.py)."""
