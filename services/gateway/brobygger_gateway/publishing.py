"""The gateway will publish AccessLogged."""

PUBLISHES: list = []
