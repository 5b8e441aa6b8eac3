"""The embedded runtime: PostgreSQL and Tansu on free ports, and the seven services as processes."""
