"""Hostile third-party plugins: hangs, SystemExit, duplicate and reserved names, misspelt hooks.

Each plugin is a throwaway distribution with a real entry point (tests/helpers/plugin_dists.py), and
``bench`` runs in a subprocess, as a user would run it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.plugin_dists import bench, command_source, make_distribution, marker_prelude, model_source

SLEEP = "import time\ntime.sleep(600)\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Plugins that hang at import, exit (by SystemExit and by os._exit), raise KeyboardInterrupt,
    hang in a hook, misspell a hook."""
    site = tmp_path_factory.mktemp("hostile")
    make_distribution(site, "sleepy-seg", "0.1", "sleepy_plugin",
                      model_source("sleepy-net", prelude=marker_prelude(site / "sleepy.imported", SLEEP)),
                      {"tumorbench.models": "sleepy"})
    make_distribution(site, "exit-seg", "0.2", "exit_plugin",
                      model_source("exit-net", prelude=marker_prelude(site / "exit.imported", "import sys\nsys.exit(3)")),
                      {"tumorbench.models": "exiter"})
    make_distribution(site, "osexit-seg", "0.7", "osexit_plugin",
                      model_source("osexit-net", prelude=marker_prelude(site / "osexit.imported", "import os\nos._exit(0)")),
                      {"tumorbench.models": "osexit"})
    make_distribution(site, "ctrlc-seg", "0.3", "ctrlc_plugin",
                      model_source("ctrlc-net", prelude="raise KeyboardInterrupt('from the plugin')"),
                      {"tumorbench.models": "ctrlc"})
    make_distribution(site, "hookhang-seg", "0.4", "hookhang_plugin", """
        import time
        from tumorbench import hookimpl

        @hookimpl
        def tumorbench_models():
            time.sleep(600)
        """, {"tumorbench.models": "hookhang"})
    make_distribution(site, "typo-seg", "0.5", "typo_plugin", """
        from tumorbench import hookimpl

        @hookimpl
        def tumorbench_model():
            return []
        """, {"tumorbench": "typo"})
    make_distribution(site, "pipe-seg", "0.6", "pipe_plugin",
                      model_source("pipe-net", summary="a | b\nsecond line"), {"tumorbench.models": "pipe"})
    make_distribution(site, "hello-seg", "1.0", "hello_plugin",
                      command_source("hello", "hello from a plugin", prelude=marker_prelude(site / "hello.imported")),
                      {"tumorbench.commands": "hello"})
    return site


def test_help_version_and_plugins_import_no_third_party_module(hostile_site: Path) -> None:
    for args in (["--help"], ["--version"], ["plugins"]):
        result = bench(hostile_site, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert not list(hostile_site.glob("*.imported"))  # not one plugin module ran
    listing = bench(hostile_site, "plugins").stdout
    row = next(l for l in listing.splitlines() if l.startswith("| sleepy "))
    assert [c.strip() for c in row.strip("|").split("|")] == [
        "sleepy", "model", "sleepy-seg", "0.1", "sleepy_plugin", "not imported yet"]
    help_text = bench(hostile_site, "--help").stdout
    assert "hello" in help_text and "plugin command from hello-seg 1.0" in help_text


def test_a_kind_is_imported_when_needed_and_every_failure_is_contained(hostile_site: Path) -> None:
    result = bench(hostile_site, "plugins", "--kind", "model", TUMORBENCH_PLUGIN_TIMEOUT="1")
    assert result.returncode == 0, result.stderr
    warnings = [l for l in result.stderr.splitlines() if l.startswith("warning: ")]
    assert "warning: plugin 'sleepy' from sleepy-seg 0.1 failed to load: hung (no answer within 1 s; " \
           "TUMORBENCH_PLUGIN_TIMEOUT sets the limit)" in warnings
    assert "warning: plugin 'exiter' from exit-seg 0.2 failed to load: SystemExit: 3" in warnings
    assert "warning: plugin 'ctrlc' from ctrlc-seg 0.3 failed to load: KeyboardInterrupt: from the plugin" in warnings
    assert "warning: plugin 'osexit' from osexit-seg 0.7 failed to load: its import ended the process (exit code 0, " \
           "as os._exit or a crash in an extension would)" in warnings
    assert any(l.startswith("warning: plugin 'hookhang' from hookhang-seg 0.4: tumorbench_models failed: hung")
               for l in warnings)
    assert "warning: plugin 'typo' from typo-seg 0.5 implements unknown hook 'tumorbench_model'; " \
           "did you mean tumorbench_models?" in warnings
    assert "Traceback" not in result.stderr
    names = [l.strip("|").split("|")[0].strip() for l in result.stdout.splitlines()[2:]]
    assert {"intensity-baseline", "fcn", "pipe-net"} <= set(names)
    assert not {"sleepy-net", "exit-net", "ctrlc-net", "osexit-net"} & set(names)
    assert (hostile_site / "sleepy.imported").exists() and (hostile_site / "exit.imported").exists()
    assert not (hostile_site / "hello.imported").exists()  # a command plugin is not needed for models


def test_a_model_whose_import_ends_the_process_fails_the_run_in_one_line(hostile_site: Path, synthetic_root: Path,
                                                                       tmp_path: Path) -> None:
    """``os._exit(0)`` at import used to end ``bench run`` with exit 0 and nothing written: a run
    that did nothing looked like a success. The import is probed in a child process first."""
    out = tmp_path / "run"
    result = bench(hostile_site, "run", "-m", "osexit-net", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--out", str(out), TUMORBENCH_BLOCK_PLUGINS="sleepy,hookhang")
    assert result.returncode == 2, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "osexit-net" in errors[0], result.stderr
    assert "warning: plugin 'osexit' from osexit-seg 0.7 failed to load: its import ended the process" in result.stderr
    assert (hostile_site / "osexit.imported").exists()  # the module did run, in the child
    assert not (out / "results.sqlite").exists()


def test_cells_with_pipes_and_newlines_stay_in_their_cell(hostile_site: Path) -> None:
    out = bench(hostile_site, "plugins", "--kind", "model", TUMORBENCH_BLOCK_PLUGINS="sleepy,hookhang").stdout
    row = next(l for l in out.splitlines() if l.startswith("| pipe-net "))
    assert row.count("|") - row.count("\\|") == 7  # six cells
    assert row.rstrip(" |").endswith("a \\| b\\nsecond line")


def test_strict_mode_makes_a_misspelt_hook_an_error(hostile_site: Path) -> None:
    result = bench(hostile_site, "plugins", "--kind", "dataset", TUMORBENCH_STRICT_PLUGINS="1",
                   TUMORBENCH_BLOCK_PLUGINS="sleepy,hookhang,exiter,ctrlc,osexit")
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: plugin 'typo' from typo-seg 0.5 implements unknown hook "
                                     "'tumorbench_model'; did you mean tumorbench_models?")


def test_a_plugin_command_is_imported_only_when_invoked(hostile_site: Path) -> None:
    result = bench(hostile_site, "hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hello from a plugin"
    assert (hostile_site / "hello.imported").exists()


@pytest.fixture(scope="module")
def clash_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model named like a built-in, two plugins with one model name, a `run` command, two `dup` commands."""
    site = tmp_path_factory.mktemp("clash")
    make_distribution(site, "copycat", "0.1", "copycat_plugin", model_source("intensity-baseline"),
                      {"tumorbench.models": "copycat"})
    make_distribution(site, "twin-a", "1.0", "twin_a", model_source("twin-net"), {"tumorbench.models": "twin-a"})
    make_distribution(site, "twin-b", "2.0", "twin_b", model_source("twin-net"), {"tumorbench.models": "twin-b"})
    make_distribution(site, "hijack", "0.1", "hijack_plugin", command_source("run", "hijacked"),
                      {"tumorbench.commands": "run"})
    make_distribution(site, "dup-a", "1.0", "dup_a", command_source("dup", "a"), {"tumorbench.commands": "dup"})
    make_distribution(site, "dup-b", "1.0", "dup_b", command_source("dup", "b"), {"tumorbench.commands": "dup"})
    return site


def test_duplicate_names_disable_both_and_fail_only_where_used(clash_site: Path) -> None:
    listing = bench(clash_site, "plugins", "--kind", "model")
    assert listing.returncode == 0, listing.stderr
    assert ("warning: duplicate model name 'intensity-baseline': provided by tumorbench "
            "(tumorbench_plugins.models.baseline) and by copycat (copycat_plugin); both disabled") in listing.stderr
    assert ("warning: duplicate model name 'twin-net': provided by twin-a (twin_a) and by twin-b (twin_b); "
            "both disabled") in listing.stderr
    names = {l.strip("|").split("|")[0].strip() for l in listing.stdout.splitlines()[2:]}
    assert "fcn" in names and not {"intensity-baseline", "twin-net"} & names

    used = bench(clash_site, "models", "show", "twin-net")
    assert used.returncode == 2
    assert used.stderr.splitlines()[-1] == (
        "error: duplicate model name 'twin-net': provided by twin-a (twin_a) and by twin-b (twin_b); both are "
        "disabled (remove one, or block it with TUMORBENCH_BLOCK_PLUGINS)")


def test_built_in_command_names_cannot_be_taken(clash_site: Path) -> None:
    result = bench(clash_site, "run", "--help")
    assert result.returncode == 0
    assert "--model" in result.stdout and "hijacked" not in result.stdout
    listing = bench(clash_site, "--help")
    assert listing.returncode == 0
    assert "warning: plugin 'run' from hijack 0.1: command name 'run' is a built-in command; refused" in listing.stderr


def test_a_duplicate_command_is_an_error_only_when_invoked(clash_site: Path) -> None:
    assert bench(clash_site, "plugins", "--kind", "dataset").returncode == 0
    result = bench(clash_site, "dup")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "error: plugin name 'dup' is declared by dup-a 1.0 (dup_a) and by dup-b 1.0 (dup_b); both disabled")


def test_undeclared_kinds_and_bad_results_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, through the same entry points: a dataset hook in a models-only plugin, a hook
    returning a number, a hook raising SystemExit."""
    import warnings

    from tumorbench.loading.manager import PluginLoadWarning, get_plugin_manager
    from tumorbench.loading.registry import Registry

    make_distribution(tmp_path, "sneaky-seg", "0.1", "sneaky_plugin", """
        from tumorbench import hookimpl

        @hookimpl
        def tumorbench_datasets():
            raise AssertionError("never called: the kind is not declared")
        """, {"tumorbench.models": "sneaky"})
    make_distribution(tmp_path, "number-seg", "0.1", "number_plugin", """
        from tumorbench import hookimpl

        @hookimpl
        def tumorbench_datasets():
            return 42
        """, {"tumorbench.datasets": "number"})
    make_distribution(tmp_path, "quitter-seg", "0.1", "quitter_plugin", """
        import sys
        from tumorbench import hookimpl

        @hookimpl
        def tumorbench_datasets():
            sys.exit("bye")
        """, {"tumorbench.datasets": "quitter"})
    monkeypatch.syspath_prepend(str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry(get_plugin_manager())
        assert "brats18" in registry.datasets
        registry.models  # noqa: B018 - imports sneaky, whose dataset hook is then ignored
        assert "brats18" in registry.datasets
    messages = sorted(str(w.message) for w in caught if issubclass(w.category, PluginLoadWarning))
    assert messages == [
        "plugin 'number' from number-seg 0.1: tumorbench_datasets failed: TypeError: 'int' object is not iterable",
        "plugin 'quitter' from quitter-seg 0.1: tumorbench_datasets failed: SystemExit: bye",
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh = Registry(get_plugin_manager())
        fresh.models  # noqa: B018 - sneaky is imported before datasets are collected this time
        assert "brats18" in fresh.datasets
    assert ("plugin 'sneaky' from sneaky-seg 0.1 implements tumorbench_datasets but does not declare kind dataset "
            "(entry-point group tumorbench.datasets); ignored") in [str(w.message) for w in caught]


def test_a_legacy_group_command_is_found_when_invoked(tmp_path: Path) -> None:
    make_distribution(tmp_path, "old-style", "0.9", "old_plugin",
                      command_source("old-cmd", "from the tumorbench group", prelude=marker_prelude(tmp_path / "old.imported")),
                      {"tumorbench": "old"})
    listing = bench(tmp_path, "--help")
    assert listing.returncode == 0 and "old-cmd" not in listing.stdout
    assert not (tmp_path / "old.imported").exists()
    result = bench(tmp_path, "old-cmd")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from the tumorbench group"
    unknown = bench(tmp_path, "nothing-here")
    assert unknown.returncode == 2 and "No such command 'nothing-here'" in unknown.stderr
