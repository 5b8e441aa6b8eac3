"""Developer tools: the embedded runtime behind `make dev` and `make test`, and the test helpers.

Kept out of the kernel so that no service, and no production image, carries embedded servers.
"""
