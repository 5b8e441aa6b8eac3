"""Brobygger's archive service: every case and contract in the kommune's Noark 5 archive."""
