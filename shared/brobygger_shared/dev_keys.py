"""The dev key pairs: no imports, so `brobygger token` can sign with them without loading the settings."""

# The dev key pair the gateway signs staff tokens with, and every service checks them by. Dev and tests
# only: production refuses the dev public key, so a token signed with this private key is worthless there.
DEV_AUTH_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ8gc3rWnkn8B5lQV0+eKHOsimkvHTb527BNZpDg+WNl
-----END PRIVATE KEY-----
"""
DEV_AUTH_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA5SvrtkltvlZmH4DZkWb5bPMWdYQyAydokWDMiDx3ELA=
-----END PUBLIC KEY-----
"""
# The archive service signs its own tokens, which every service accepts for its one role only (arkiv).
DEV_ARCHIVE_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIA1l6hf00lGkjRGrq0yQ5FJ71NglcYWZOYcMZIxe1FDN
-----END PRIVATE KEY-----
"""
DEV_ARCHIVE_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEANYYE85c7oKtFaIb8zR6NIdy44F9lHncWHNSwAx4LQTM=
-----END PUBLIC KEY-----
"""
