"""Built-in tumorbench plugins. They register through the same hooks a third-party plugin uses.

Each module listed here is imported one at a time by :func:`tumorbench.loading.manager.get_plugin_manager`;
none imports torch or tensorflow at module level.
"""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "tumorbench_plugins.labels.brats",
    "tumorbench_plugins.labels.msd",
    "tumorbench_plugins.labels.brats2024",
    "tumorbench_plugins.datasets.brats",
    "tumorbench_plugins.datasets.brats23",
    "tumorbench_plugins.datasets.brats24",
    "tumorbench_plugins.datasets.msd",
    "tumorbench_plugins.datasets.rembrandt",
    "tumorbench_plugins.datasets.synthetic",
    "tumorbench_plugins.datasets.data_cli",
    "tumorbench_plugins.models.folder",
    "tumorbench_plugins.models.baseline",
    "tumorbench_plugins.models.shen.plugin",
    "tumorbench_plugins.models.shen.reported",
    "tumorbench_plugins.models.monai_bundle.plugin",
    "tumorbench_plugins.metrics.legacy",
    "tumorbench_plugins.metrics.brats2023",
    "tumorbench_plugins.metrics.brats2024",
    "tumorbench_plugins.metrics.uncertainty",
    "tumorbench_plugins.models.tunet.plugin",
    "tumorbench_plugins.models.tunet.reported",
    "tumorbench_plugins.models.nnunet.plugin",
    "tumorbench_plugins.postprocess.tunet",
    "tumorbench_plugins.ensembles.tunet",
    "tumorbench_plugins.ensembles.combiners",
)
