"""``monai-bundle:PATH``: a MONAI bundle (network definition, weights, metadata) as a model.

``docs/monai.md`` describes the bundle layout read, the options and the output mapping. Only
``predict.py`` and ``network.py`` import torch and MONAI, when a bundle is loaded.
"""
