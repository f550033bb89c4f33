"""Plugin discovery: built-ins, entry points, duplicate names, broken and blocked plugins."""

from __future__ import annotations

import textwrap
import types
import warnings
from pathlib import Path

import pytest

from tumorbench import hookimpl
from tumorbench.contract.specs import DatasetSpec, ModelSpec
from tumorbench.errors import BenchError
from tumorbench.loading.manager import PluginLoadWarning, get_plugin_manager
from tumorbench.loading.registry import PluginConflictWarning, Registry


def _fake_distribution(site: Path, dist: str, version: str, ep_name: str, module: str, source: str) -> None:
    """A real installed-distribution layout: a module plus a .dist-info with entry_points.txt."""
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[tumorbench]\n{ep_name} = {module}\n", encoding="utf-8")


GOOD = """
from tumorbench import hookimpl
from tumorbench.api import ModelSpec, Prediction

class Nothing:
    def predict(self, case):
        import numpy as np
        return Prediction(regions=("WT",), labels=np.zeros(case.shape, np.uint8))

@hookimpl
def tumorbench_models():
    return [ModelSpec(name="{name}", summary="predicts nothing", load=lambda ctx: Nothing(), regions=("WT",))]
"""


def test_builtins_register_through_the_hooks() -> None:
    registry = Registry(get_plugin_manager(entry_points=False))
    assert {"brats18", "brats19", "synthetic"} <= set(registry.datasets)
    assert {"folder", "intensity-baseline"} <= set(registry.models)
    assert [m.name for m in registry.convention("brats-legacy").metrics] == ["dice", "hd95", "sensitivity", "specificity"]
    assert registry.default_conventions() == ["brats-legacy", "qu-brats"]
    assert all(row[2] == "tumorbench" for row in registry.rows())


def test_entry_point_plugin_is_discovered_with_its_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_distribution(tmp_path, "acme-seg", "1.2.3", "acme", "acme_seg_plugin", GOOD.format(name="acme-net"))
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry(get_plugin_manager())
    assert registry.models.get("acme-net").summary == "predicts nothing"
    provider = registry.provider("model", "acme-net")
    assert (provider.distribution, provider.version) == ("acme-seg", "1.2.3")


def test_duplicate_name_disables_both_and_is_an_error_only_where_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_distribution(tmp_path, "copycat", "0.1", "copycat", "copycat_plugin", GOOD.format(name="intensity-baseline"))
    monkeypatch.syspath_prepend(str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry(get_plugin_manager())
        assert "folder" in registry.models  # every other model still works
    assert [str(w.message) for w in caught if issubclass(w.category, PluginConflictWarning)] == [
        "duplicate model name 'intensity-baseline': provided by tumorbench (tumorbench_plugins.models.baseline) "
        "and by copycat (copycat_plugin); both disabled"
    ]
    with pytest.raises(BenchError) as info:
        registry.models.get("intensity-baseline")
    message = str(info.value)
    assert "duplicate model name 'intensity-baseline'" in message
    assert "tumorbench (tumorbench_plugins.models.baseline)" in message
    assert "copycat (copycat_plugin)" in message
    assert registry.datasets.get("brats18").name == "brats18"  # other kinds are untouched


def test_duplicate_name_from_a_local_plugin_object() -> None:
    plugin = types.SimpleNamespace()

    @hookimpl
    def tumorbench_datasets():
        return [DatasetSpec(name="synthetic", summary="again", label_convention="brats-2017", open=lambda o: None)]

    plugin.tumorbench_datasets = tumorbench_datasets
    with pytest.warns(PluginConflictWarning, match="duplicate dataset name 'synthetic'"):
        registry = Registry(get_plugin_manager(entry_points=False, extra=[plugin]))
        with pytest.raises(BenchError, match="duplicate dataset name 'synthetic'"):
            registry.datasets.get("synthetic")


def test_broken_plugin_warns_and_the_rest_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_distribution(tmp_path, "broken-seg", "0.0.1", "broken", "broken_seg_plugin", "import does_not_exist_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry(get_plugin_manager())
        assert "intensity-baseline" in registry.models
    messages = [str(w.message) for w in caught if issubclass(w.category, PluginLoadWarning)]
    assert messages == [
        "plugin 'broken' from broken-seg 0.0.1 failed to load: ModuleNotFoundError: No module named 'does_not_exist_anywhere'"
    ]
    assert "intensity-baseline" in registry.models

    monkeypatch.setenv("TUMORBENCH_STRICT_PLUGINS", "1")
    with pytest.raises(BenchError, match="plugin 'broken' from broken-seg 0.0.1 failed to load"):
        _ = Registry(get_plugin_manager()).models

    monkeypatch.setenv("TUMORBENCH_BLOCK_PLUGINS", "broken")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _ = Registry(get_plugin_manager()).models  # blocked: neither imported nor warned about, even in strict mode


def test_wrong_spec_type_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = types.SimpleNamespace()

    @hookimpl
    def tumorbench_datasets():
        return [ModelSpec(name="x", summary="x", load=lambda c: None)]

    plugin.tumorbench_datasets = tumorbench_datasets
    with pytest.warns(PluginLoadWarning, match="returned ModelSpec, expected DatasetSpec"):
        assert "x" not in Registry(get_plugin_manager(entry_points=False, extra=[plugin])).datasets
    monkeypatch.setenv("TUMORBENCH_STRICT_PLUGINS", "1")
    with pytest.raises(BenchError, match="returned ModelSpec, expected DatasetSpec"):
        _ = Registry(get_plugin_manager(entry_points=False, extra=[plugin])).datasets


def test_unknown_name_suggests_close_ones() -> None:
    registry = Registry(get_plugin_manager(entry_points=False))
    with pytest.raises(BenchError, match=r"unknown dataset 'brats81'; did you mean .*brats18"):
        registry.datasets.get("brats81")


def test_a_hook_with_arguments_the_spec_lacks_is_refused_in_one_line() -> None:
    plugin = types.SimpleNamespace()

    @hookimpl
    def tumorbench_models(context):
        return []

    plugin.tumorbench_models = tumorbench_models
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry(get_plugin_manager(entry_points=False, extra=[plugin]))
        assert "intensity-baseline" in registry.models
    [message] = [str(w.message) for w in caught if issubclass(w.category, PluginLoadWarning)]
    assert message.startswith("plugin 'SimpleNamespace-0' from local - refused: Plugin 'SimpleNamespace-0' for hook "
                              "'tumorbench_models' hookimpl definition: tumorbench_models(context) Argument(s) {'context'}")
    assert "\n" not in message
