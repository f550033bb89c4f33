"""nnU-Net v2 in tumorbench: its raw dataset format as the ``nnunet-raw`` dataset and a trained
results folder as the ``nnunet:PATH`` model, run through nnU-Net's own predictor.

Modules: :mod:`.dataset_json` (channels and labels of a dataset.json, no torch),
:mod:`.dataset` (the raw dataset), :mod:`.options`, :mod:`.results` (a results folder, its folds
and splits, no torch), :mod:`.predict` (nnunetv2 and torch, imported when a model loads) and
:mod:`.plugin` (the hooks). The dataset and the model are one plugin family because both read
nnU-Net's dataset.json the same way.
"""
