"""Helpers shared by the tests: fixtures (registered by tests/conftest.py through
``pytest_plugins``) and builders of data, plugins and models written at test time."""
