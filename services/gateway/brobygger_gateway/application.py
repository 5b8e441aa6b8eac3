"""The gateway's eventsourcing Application (for AccessLogged) arrives with the gateway issue."""
