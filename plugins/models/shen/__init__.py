"""Shen & Anderson (2017) whole-tumour CNNs in PyTorch: BCN, patch FCN, full-image FCN.

Modules: :mod:`.options` (variants and options, no torch), :mod:`.data` (preprocessing and patch
sampling, numpy), :mod:`.network`, :mod:`.predict`, :mod:`.train` (torch, imported lazily)
and :mod:`.plugin` (the hook that registers the ten model names).
"""
