pytest_plugins = ["brobygger_dev.testing"]
