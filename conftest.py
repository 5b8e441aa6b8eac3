pytest_plugins = ["brobygger_shared.testing"]
