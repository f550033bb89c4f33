"""The suite's shared fixtures live in ``helpers/fixtures.py`` and its builders in ``helpers/``;
test files sit in folders that mirror the packages they test (``tests/run/`` tests ``tumorbench.run``,
``tests/plugins/metrics/`` the metric plugins)."""

pytest_plugins = ["helpers.fixtures"]
