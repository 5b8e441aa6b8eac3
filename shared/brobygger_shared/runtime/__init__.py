"""The embedded runtime: PostgreSQL and Tansu on free ports, and the six services as processes."""
