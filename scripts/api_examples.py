"""One example for every public name of ``tumorbench.api``, as doctest text.

``scripts/api_reference.py`` puts each under its name's signature and docstring in
``docs/api.md``; ``tests/test_api_reference.py`` runs every one of them (and fails when a public
name has none, or when ``docs/api.md`` is not what the script writes now). Every example runs in
one namespace holding every public name, ``np``, ``Path``, ``replace`` and:

- ``tmp``: an empty temporary folder;
- ``source``: four synthetic cases (``Synth_000`` ... ``Synth_003``) written as NIfTI, a
  ``DatasetSource`` (40x36x28 voxels of 1 x 1.2 x 1.5 mm, x axis flipped, labels in brats-2017);
- ``case``: ``source.load("Synth_000")``.
"""

from __future__ import annotations

EXAMPLES: dict[str, str] = {
    # ------------------------------------------------------------------ hooks and errors
    "hookimpl": '''
>>> @hookimpl
... def tumorbench_ensembles():
...     return [EnsembleSpec(name="pair", summary="two baselines", members=("intensity-baseline", "intensity-fitted"))]
>>> tumorbench_ensembles()[0].method
'mean'
''',
    "BenchError": '''
>>> try:
...     raise BenchError("weights.pt: not a checkpoint (truncated)")
... except BenchError as exc:
...     print(exc)
weights.pt: not a checkpoint (truncated)
''',
    "DataError": '''
>>> issubclass(DataError, BenchError)
True
>>> str(DataError("case_flair.nii.gz: all-zero image"))
'case_flair.nii.gz: all-zero image'
''',
    "MissingCheckpointError": '''
>>> try:
...     find(tmp / "store", "my-net", "brats18", suffix=".pt")
... except MissingCheckpointError as exc:
...     print(str(exc).split("; ")[1])
make one with: bench train --model my-net --dataset brats18 --store .../store
''',
    # ------------------------------------------------------------------ specs
    "DatasetSpec": '''
>>> spec = DatasetSpec(name="mine", summary="my folder", label_convention="brats-2017",
...                    open=lambda options: source, needs_root=False)
>>> spec.open(DatasetOptions()).case_ids()[:2]
['Synth_000', 'Synth_001']
''',
    "ModelSpec": '''
>>> class Nothing:
...     def predict(self, case):
...         return Prediction(regions=("WT",), labels=np.zeros(case.shape, np.uint8))
>>> spec = ModelSpec(name="nothing", summary="predicts no tumour", load=lambda context: Nothing(), regions=("WT",))
>>> spec.load(ModelContext(dataset="brats18", store=tmp)).predict(case).labels.sum()
np.uint64(0)
''',
    "EnsembleSpec": '''
>>> spec = EnsembleSpec(name="pair", summary="weighted mean", members=("a", "b"), method="weighted-mean",
...                     method_options={"weights": "2,1"})
>>> spec.all_folds, dict(spec.method_options)
(True, {'weights': '2,1'})
''',
    "CombinerSpec": '''
>>> def maximum(predictions, options):
...     regions = predictions[0].regions
...     return Prediction(regions=regions, probabilities={r: np.maximum(*[p.probabilities[r] for p in predictions])
...                                                     for r in regions})
>>> spec = CombinerSpec(name="max", summary="voxel-wise maximum", combine=maximum)
>>> a = Prediction(regions=("WT",), probabilities={"WT": np.array([0.2, 0.9], np.float32)})
>>> b = Prediction(regions=("WT",), probabilities={"WT": np.array([0.6, 0.1], np.float32)})
>>> spec.combine([a, b], None).probabilities["WT"].tolist()
[0.6000000238418579, 0.8999999761581421]
''',
    "PostprocessorSpec": '''
>>> def no_enhancing(prediction, case):
...     labels = np.where(prediction.labels == 4, 1, prediction.labels).astype(np.uint8)
...     return replace(prediction, labels=labels)
>>> spec = PostprocessorSpec(name="no-et", summary="enhancing becomes necrosis", apply=no_enhancing,
...                          needs_probabilities=False)
>>> out = spec.apply(finalize(Prediction(regions=("WT", "TC", "ET"), labels=case.label.data), case.convention), case)
>>> sorted(np.unique(out.labels).tolist())
[0, 1, 2]
''',
    "MetricConventionSpec": '''
>>> def volume_ratio(m):
...     return {"volume_ratio": float(m.prediction.sum()) / max(float(m.reference.sum()), 1.0)}
>>> spec = MetricConventionSpec(
...     name="my-volume", summary="predicted over true volume",
...     metrics=(MetricDef(name="volume_ratio", summary="|P|/|G|", higher_is_better=True, worst=lambda shape: 0.0),),
...     compute=volume_ratio, needs=frozenset())
>>> spec.compute(MetricInput(prediction=np.ones(4, bool), reference=np.ones(2, bool), spacing=(1.0, 1.0, 1.0), region="WT"))
{'volume_ratio': 2.0}
>>> spec.units
('mm', 'voxel')
''',
    "MetricDef": '''
>>> hd = MetricDef(name="hd95", summary="95th percentile Hausdorff distance", higher_is_better=False,
...                worst=lambda shape: float(np.linalg.norm(shape)), unit="distance", group="Overlap and distance", order=20)
>>> round(hd.worst((240, 240, 155)), 2)
373.13
''',
    "BrainMaskRule": '''
>>> rule = BrainMaskRule(name="t1-nonzero", summary="T1 above 0", modalities=("t1",),
...                      compute=lambda images: images["t1"] > 0)
>>> mask = rule.compute({m: case.images[m].data for m in rule.modalities})
>>> mask.shape == case.shape and bool(mask.any())
True
''',
    "ReportedSpec": '''
>>> spec = ReportedSpec(name="my-paper-2024", summary="My et al. 2024, Table 2", path=tmp / "my-paper-2024.csv")
>>> spec.path.name
'my-paper-2024.csv'
''',
    "CommandSpec": '''
>>> import typer
>>> app = typer.Typer(help="My tools.")
>>> CommandSpec(name="mine", summary="my tools", app=app).name
'mine'
''',
    # ------------------------------------------------------------------ values
    "Volume": '''
>>> flair = case.images["flair"]
>>> flair.shape, tuple(round(s, 3) for s in flair.spacing)
((40, 36, 28), (1.0, 1.2, 1.5))
>>> mask = flair.like((flair.data > 0).astype(np.uint8))
>>> np.array_equal(mask.affine, flair.affine), mask.path is None
(True, True)
''',
    "Case": '''
>>> case.case_id, case.shape, case.convention.name
('Synth_000', (40, 36, 28), 'brats-2017')
>>> case.stack(("flair", "t1ce")).shape
(2, 40, 36, 28)
>>> case.reference is case.label
True
''',
    "Prediction": '''
>>> p = Prediction(regions=("WT",), probabilities={"WT": np.full(case.shape, 0.8, np.float32)})
>>> done = finalize(p, case.convention)
>>> int(done.labels.max()), int(done.uncertainty["WT"].max())
(2, 40)
''',
    "MetricInput": '''
>>> m = MetricInput(prediction=np.array([1, 1, 0], bool), reference=np.array([1, 0, 0], bool),
...                 spacing=(1.0, 1.0, 1.0), region="WT", units="voxel")
>>> 2 * (m.prediction & m.reference).sum() / (m.prediction.sum() + m.reference.sum())
np.float64(0.6666666666666666)
''',
    "DatasetOptions": '''
>>> options = DatasetOptions(root=tmp, params={"subset": "train"})
>>> options.root == tmp, options.params["subset"]
(True, 'train')
''',
    "DatasetSource": '''
>>> isinstance(source, DatasetSource), source.load(source.case_ids()[1]).case_id
(True, 'Synth_001')
''',
    "LabelFiles": '''
>>> isinstance(source, LabelFiles), source.label_file("Synth_000").name
(True, 'Synth_000_seg.nii.gz')
''',
    "Predictor": '''
>>> class Truth:
...     def predict(self, case):
...         return Prediction(regions=case.convention.region_names, labels=case.label.data)
>>> isinstance(Truth(), Predictor), Truth().predict(case).regions
(True, ('WT', 'TC', 'ET'))
''',
    "ModelContext": '''
>>> context = ModelContext(dataset="brats18", store=tmp / "store", fold=0, model="my-net", params={"width": "2"})
>>> fold_dir(context.store, context.model, context.dataset, context.fold).relative_to(tmp).as_posix()
'store/my-net/brats18/fold-0'
''',
    "TrainRequest": '''
>>> train_ids, val_ids = kfold(source.case_ids(), folds=2, fold=0)
>>> request = TrainRequest(model="my-net", dataset="synthetic", source=source, train_ids=tuple(train_ids),
...                        val_ids=tuple(val_ids), fold=0, folds=2, store=tmp / "store", control=TrainControl())
>>> len(request.train_ids), len(request.val_ids), request.resume
(2, 2, True)
''',
    # ------------------------------------------------------------------ label conventions
    "LabelConvention": '''
>>> two = LabelConvention(name="two-class", summary="1 lesion", labels={0: "background", 1: "lesion"},
...                       regions={"WT": (1,)}, paint_order=(("WT", 1),))
>>> two.region_names, two.uncertainty_suffix("WT")
(('WT',), 'wt')
>>> two.unknown_values(np.array([0, 1, 3]))
[3]
''',
    "get_convention": '''
>>> brats = get_convention("brats-2017")
>>> brats.region_names, brats.to_regions(np.array([0, 1, 2, 4]))["TC"].tolist()
(('WT', 'TC', 'ET'), [False, True, False, True])
>>> brats.from_regions({"WT": np.array([True, True]), "TC": np.array([False, True]), "ET": np.array([False, False])}).tolist()
[2, 1]
''',
    "REGIONS": '''
>>> REGIONS
('WT', 'TC', 'ET')
''',
    "REGION_LONG_NAMES": '''
>>> REGION_LONG_NAMES["TC"]
'core'
''',
    # ------------------------------------------------------------------ files
    "load_volume": '''
>>> volume = load_volume(source.label_file("Synth_000"))
>>> volume.data.dtype, volume.shape
(dtype('uint8'), (40, 36, 28))
''',
    "save_volume": '''
>>> path = save_volume(tmp / "mask.nii.gz", (case.label.data > 0).astype(np.uint8), case.label.affine)
>>> np.array_equal(load_volume(path).data, case.label.data > 0)
True
''',
    "LazyImages": '''
>>> folder = tmp / "cases" / "Synth_001"
>>> images = LazyImages({m: folder / f"Synth_001_{m}.nii.gz" for m in ("flair", "t1")}, reference=case.label)
>>> images.loaded(), images["flair"].shape, images.loaded()
([], (40, 36, 28), ['flair'])
>>> small = save_volume(tmp / "small.nii.gz", np.random.default_rng(0).random((4, 4, 4), np.float32), np.eye(4))
>>> LazyImages({"t2": small}, reference=case.label)["t2"]
Traceback (most recent call last):
tumorbench.errors.DataError: .../small.nii.gz: shape (4, 4, 4) differs from Synth_000_seg.nii.gz (40, 36, 28)
''',
    "atomic_path": '''
>>> with atomic_path(tmp / "weights.npy") as part:
...     np.save(part, np.arange(3))
>>> np.load(tmp / "weights.npy").tolist(), sorted(p.name for p in tmp.glob(".weights*"))
([0, 1, 2], [])
''',
    "write_text_atomic": '''
>>> write_text_atomic(tmp / "notes.txt", "trained 3 epochs\\n").read_text()
'trained 3 epochs\\n'
''',
    "remove_stale_temporaries": '''
>>> (tmp / "stale").mkdir()
>>> remove_stale_temporaries(tmp / "stale")
[]
''',
    "temporary_prefix": '''
>>> temporary_prefix("weights.pt").startswith(".weights.pt.tmp.")
True
''',
    "umask_mode": '''
>>> 0 <= umask_mode() <= 0o666, 0 <= umask_mode(0o777) <= 0o777
(True, True)
''',
    "absent_reason": '''
>>> absent_reason(tmp / "nowhere.pt")
'file not found'
>>> (tmp / "loop").symlink_to(tmp / "loop")
>>> absent_reason(tmp / "loop")
'symlink loop'
''',
    "is_link_trouble": '''
>>> (tmp / "dangling").symlink_to(tmp / "gone")
>>> is_link_trouble(tmp / "dangling"), is_link_trouble(tmp)
(True, False)
''',
    # ------------------------------------------------------------------ training
    "TrainControl": '''
>>> control = TrainControl(budget=3600.0)
>>> control.stop_reason(), 0 < control.left() <= 3600, control.elapsed() >= 0
(None, True, True)
>>> control.stop_requested = True              # what the first Ctrl-C does
>>> control.stop_reason()
'interrupted'
>>> control.record_stop("interrupted", "3 epoch(s) and 12 of 50 steps of epoch 4")
>>> control.stopped, control.kept
('interrupted', '3 epoch(s) and 12 of 50 steps of epoch 4')
>>> TrainControl(budget=1.0, started=0.0).stop_reason()   # the budget is spent
'time budget'
''',
    "MemoryEstimate": '''
>>> estimate = MemoryEstimate(parameters=4 * 10**6, optimizer=12 * 10**6, activations=3 * 10**9)
>>> estimate.total, estimate.describe()
(3016000000, 'network 3.8 MB, optimizer 11.4 MB, activations 2.8 GB')
''',
    "check_memory": '''
>>> check_memory("my-net", MemoryEstimate(parameters=10, optimizer=10, activations=10), "use --model-opt batch=1",
...              available=10**9)
>>> check_memory("my-net", MemoryEstimate(parameters=0, optimizer=0, activations=8 * 2**30), "use --model-opt batch=1",
...              available=2**30)
Traceback (most recent call last):
tumorbench.errors.BenchError: my-net: training needs about 8.0 GB (activations 8.0 GB) but 1.0 GB is available; use --model-opt batch=1
''',
    "memory_available": '''
>>> available = memory_available()
>>> available is None or available > 0
True
''',
    "configure_torch_threads": '''
>>> class FakeTorch:  # the torch module in a trainer: torch.get_num_threads / set_num_threads
...     threads = 1
...     def get_num_threads(self): return self.threads
...     def set_num_threads(self, n): self.threads = n
>>> n = configure_torch_threads(FakeTorch())
>>> n >= 1
True
''',
    "configure_tensorflow_threads": '''
>>> class Threading:
...     intra = inter = 0
...     def get_intra_op_parallelism_threads(self): return self.intra
...     def set_intra_op_parallelism_threads(self, n): self.intra = n
...     def get_inter_op_parallelism_threads(self): return self.inter
...     def set_inter_op_parallelism_threads(self, n): self.inter = n
>>> class FakeTensorFlow:  # the tensorflow module: tf.config.threading
...     class config:
...         threading = Threading()
>>> configure_tensorflow_threads(FakeTensorFlow()) >= 1
True
''',
    "TrainingLoop": '''
>>> w = {"value": np.zeros(1)}
>>> def step(at):                            # fit w to 3.0, one noisy target per step
...     target = 3.0 + at.rng().normal(0, 0.01)
...     w["value"] = w["value"] + 0.5 * (target - w["value"])
...     return float((target - w["value"][0]) ** 2)
>>> loop = TrainingLoop(tmp / "fold-0", epochs=2, steps=5, seed=1, suffix=".npy",
...                     save=lambda path: np.save(path, w["value"]), load=lambda path: w.update(value=np.load(path)))
>>> result = loop.run(step)
>>> result.finished, result.epochs_done, round(float(w["value"][0]), 1)
(True, 2, 3.0)
>>> sorted(p.name for p in (tmp / "fold-0").iterdir())
['train_state-2-0.npy', 'train_state.json']
''',
    "TrainingStep": '''
>>> at = TrainingStep(epoch=1, index=3, steps=10, seed=0)
>>> at.number, at.rng().integers(100) == TrainingStep(1, 3, 10, 0).rng().integers(100)
(13, np.True_)
>>> isinstance(at.seed_value, int)
True
''',
    "TrainingResult": '''
>>> control = TrainControl(budget=1.0, started=0.0)   # no time left: stops before the first step
>>> result = TrainingLoop(tmp / "none", epochs=1, steps=4, save=lambda path: None, control=control).run(lambda at: 0.0)
>>> result.finished, result.stopped, result.kept
(False, 'time budget', 'nothing new')
''',
    # ------------------------------------------------------------------ checking what a plugin reads
    "Field": '''
>>> schema = {"wt": Field(float, required=True), "mode": Field(str, choices=("fast", "full"))}
>>> check({"wt": 1.5, "mode": "fast"}, schema, "config.json")
{'wt': 1.5, 'mode': 'fast'}
''',
    "check": '''
>>> check({"wt": float("nan")}, {"wt": Field(float, required=True)}, "config.json")
Traceback (most recent call last):
tumorbench.errors.BenchError: config.json: key 'wt' is nan: must be finite
''',
    "check_finite": '''
>>> check_finite([("conv1.weight", np.ones(3)), ("conv1.bias", np.array([0.0, np.inf]))], "model.pt")
Traceback (most recent call last):
tumorbench.errors.BenchError: model.pt: tensor 'conv1.bias' holds NaN or infinity (1 of 2 values)
''',
    "read_json_object": '''
>>> _ = write_text_atomic(tmp / "config.json", '{"width": 2}')
>>> read_json_object(tmp / "config.json")
{'width': 2}
>>> _ = write_text_atomic(tmp / "list.json", "[1, 2]")
>>> read_json_object(tmp / "list.json")
Traceback (most recent call last):
tumorbench.errors.BenchError: .../list.json: expected a JSON object, found list
''',
    "describe_exception": '''
>>> describe_exception(KeyError("width"))
"KeyError: 'width'"
''',
    # ------------------------------------------------------------------ the model store
    "fold_dir": '''
>>> fold_dir(Path("models"), "my-net", "brats18", 2).as_posix()
'models/my-net/brats18/fold-2'
''',
    "find": '''
>>> folder = fold_dir(tmp / "store", "my-net", "brats18", 0)
>>> write_metadata(folder, {"width": 2}, {"train": ["a"], "val": ["b"], "fold": 0, "folds": 2, "seed": 0})
>>> _ = write_text_atomic(folder / "checkpoint.json", "{}")
>>> [(m.fold, m.config["width"], m.checkpoint(".json").name) for m in find(tmp / "store", "my-net", "brats18", suffix=".json")]
[(0, 2, 'checkpoint.json')]
''',
    "StoredModel": '''
>>> folder = fold_dir(tmp / "store", "my-net", "brats18", 1)
>>> write_metadata(folder, {"width": 4}, {"train": ["a"], "val": ["b"], "fold": 1, "folds": 2, "seed": 0})
>>> stored = StoredModel("my-net", "brats18", 1, folder)
>>> stored.config, stored.split["val"], stored.checkpoint(".pt").name
({'width': 4}, ['b'], 'checkpoint.pt')
''',
    "write_metadata": '''
>>> folder = tmp / "fold-0"
>>> write_metadata(folder, {"lr": 0.001}, {"train": ["a", "b"], "val": ["c"], "fold": 0, "folds": 2, "seed": 0})
>>> sorted(p.name for p in folder.iterdir()), read_json_object(folder / "config.json")
(['config.json', 'split.json'], {'lr': 0.001})
''',
    "split_record": '''
>>> request = TrainRequest(model="my-net", dataset="synthetic", source=source, train_ids=("case-a", "case-b"),
...                        val_ids=("case-c",), fold=0, folds=2, store=tmp / "store", control=TrainControl())
>>> record = split_record(request)
>>> record["train"], record["validation"], record["fold"]
(['case-a', 'case-b', 'case-c'], ['case-c'], 0)
''',
    "resolve_checkpoint": '''
>>> folder = tmp / "fold-3"
>>> folder.mkdir()
>>> _ = write_text_atomic(folder / "checkpoint.json", "{}")
>>> resolve_checkpoint(folder).name
'checkpoint.json'
''',
    "train_command": '''
>>> train_command("my-net", "brats18", 0, folds=5, data_root=Path("/data/brats18"))
'bench train --model my-net --dataset brats18 --data-root /data/brats18 --fold 0 --folds 5'
''',
    # ------------------------------------------------------------------ typed options
    "apply_options": '''
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class NetOptions:
...     width: float = 1.0
...     patch: tuple[int, int, int] = (32, 32, 32)
>>> apply_options(NetOptions(), {"width": "0.5", "patch": "24,24,16"}, owner="my-net")
NetOptions(width=0.5, patch=(24, 24, 16))
''',
    "parse_options": '''
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class CutOptions:
...     cut: float = 1.0
...     def __post_init__(self):  # refuse a bad value before any case
...         if self.cut <= 0:
...             raise BenchError("cut must be positive")
>>> parse_options(CutOptions, {"cut": "2"}, owner="flair-cut", flag="--model-opt")
CutOptions(cut=2.0)
>>> parse_options(CutOptions, {"cut": "-1"}, owner="flair-cut", flag="--model-opt")
Traceback (most recent call last):
tumorbench.errors.BenchError: --model-opt cut=-1: cut must be positive
>>> parse_options(None, {"cut": "2"}, owner="flair-cut", flag="--model-opt")
Traceback (most recent call last):
tumorbench.errors.BenchError: --model-opt cut: flair-cut takes no options
''',
    "option_fields": '''
>>> from dataclasses import dataclass, field
>>> @dataclass(frozen=True)
... class NetOptions:
...     width: float = 1.0
...     steps: int | None = None
...     arch: str = field(default="fcn", metadata=FIXED)
>>> option_fields(NetOptions)
[('width', 'float', '1.0'), ('steps', 'int | None', 'None')]
''',
    "FIXED": '''
>>> from dataclasses import dataclass, field
>>> @dataclass(frozen=True)
... class Options:
...     arch: str = field(default="bcn", metadata=FIXED)
>>> apply_options(Options(), {"arch": "fcn"}, owner="bcn")
Traceback (most recent call last):
tumorbench.errors.BenchError: --model-opt arch: not a bcn option (known: none)
''',
    # ------------------------------------------------------------------ installed plugins, progress
    "Registry": '''
>>> registry = Registry()
>>> "brats-legacy" in registry.metric_conventions(), registry.datasets.get("brats18").label_convention
(True, 'brats-2017')
>>> [m.name for m in registry.metric_convention("brats-legacy").metrics][:2]
['dice', 'hd95']
''',
    "Progress": '''
>>> class Lines:  # a Progress: what a runner or a plugin command reports to
...     def start(self, total): self.lines = [f"0/{total}"]
...     def advance(self, *, failed=False, skipped=False, description=""): self.lines.append(description)
...     def stop(self): pass
>>> def check_all(progress: Progress, ids):
...     progress.start(len(ids))
...     for case_id in ids:
...         progress.advance(failed=False, skipped=False, description=case_id)
...     progress.stop()
>>> lines = Lines()
>>> check_all(lines, source.case_ids()[:2])
>>> lines.lines
['0/2', 'Synth_000', 'Synth_001']
''',
    "RichProgress": '''
>>> progress = RichProgress()   # the bar bench run shows: start(total), advance(...), stop()
>>> [callable(getattr(progress, m)) for m in ("start", "advance", "stop")]
[True, True, True]
''',
    # ------------------------------------------------------------------ splits
    "kfold": '''
>>> train, validation = kfold(["a", "b", "c", "d", "e"], folds=5, fold=0, seed=0)
>>> len(train), len(validation), sorted(train + validation)
(4, 1, ['a', 'b', 'c', 'd', 'e'])
''',
    "kfold_manifest": '''
>>> manifest = kfold_manifest(["a", "b", "c", "d"], folds=2, seed=0, dataset="mine")
>>> manifest.kind, len(manifest.folds), sorted(manifest.folds[0] + manifest.folds[1])
('kfold', 2, ['a', 'b', 'c', 'd'])
''',
    "paper_manifest": '''
>>> manifest = paper_manifest(PaperSplit(name="mine", summary="3 train, 1 test", train=3, evaluation=1), ["a", "b", "c", "d"])
>>> len(manifest.train[0]), len(manifest.folds[0])
(3, 1)
''',
    "PaperSplit": '''
>>> split = PaperSplit(name="my-2024", summary="My et al.: 200 train, 85 test", train=200, evaluation=85)
>>> split.train + split.evaluation
285
''',
    "read_manifest": '''
>>> path = write_manifest(tmp / "split.json", kfold_manifest(["a", "b", "c", "d"], folds=2))
>>> read_manifest(path).case_ids
['a', 'b', 'c', 'd']
''',
    "write_manifest": '''
>>> write_manifest(tmp / "split.json", kfold_manifest(["a", "b"], folds=2)).name
'split.json'
''',
    # ------------------------------------------------------------------ predictions
    "finalize": '''
>>> p = Prediction(regions=("WT", "TC", "ET"), probabilities={
...     "WT": np.array([0.9, 0.9, 0.2], np.float32), "TC": np.array([0.8, 0.1, 0.1], np.float32),
...     "ET": np.array([0.7, 0.0, 0.0], np.float32)})
>>> done = finalize(p, get_convention("brats-2017"))
>>> done.labels.tolist(), done.uncertainty["ET"].tolist()
([4, 2, 0], [60, 0, 0])
''',
    "mean_probabilities": '''
>>> a = Prediction(regions=("WT",), probabilities={"WT": np.array([1.0, 0.0], np.float32)})
>>> b = Prediction(regions=("WT",), probabilities={"WT": np.array([0.5, 0.5], np.float32)})
>>> mean_probabilities([a, b]).probabilities["WT"].tolist()
[0.75, 0.25]
''',
    "majority_vote": '''
>>> votes = [Prediction(regions=("WT",), probabilities={"WT": np.array(v, np.float32)}) for v in ([1, 0], [1, 1], [0, 0])]
>>> [round(v, 3) for v in majority_vote(votes).probabilities["WT"].tolist()]   # the share of votes
[0.667, 0.333]
''',
    "memory_order": '''
>>> memory_order(np.zeros((3, 4))), memory_order(np.zeros((3, 4), order="F")), memory_order(case.label.data)
('C', 'F', 'F')
''',
    # ------------------------------------------------------------------ preprocessing
    "brain_mask": '''
>>> x = case.stack(("flair", "t1"))
>>> mask = brain_mask(x)
>>> mask.shape, bool(mask[20, 18, 14]), bool(mask[0, 0, 0])
((40, 36, 28), True, False)
''',
    "zscore": '''
>>> z = zscore(case.stack(("flair",)))
>>> brain = brain_mask(case.stack(("flair",)))
>>> abs(float(z[0][brain].mean())) < 1e-4, round(float(z[0][brain].std()), 4), float(z[0][~brain].max())
(True, 1.0, 0.0)
''',
    "Box": '''
>>> box = Box(start=(2, 0, 4), stop=(10, 6, 8))
>>> box.shape, box.slices[0]
((8, 6, 4), slice(2, 10, None))
''',
    "brain_box": '''
>>> volume = np.zeros((1, 10, 10, 10), np.float32)
>>> volume[0, 3:6, 2:8, 4:5] = 1
>>> brain_box(volume), brain_box(volume, margin=1).shape
(Box(start=(3, 2, 4), stop=(6, 8, 5)), (5, 8, 3))
''',
    "centred_box": '''
>>> centred_box(Box((3, 2, 4), (6, 8, 5)), size=(4, 4, 4), shape=(10, 10, 10))
Box(start=(2, 3, 2), stop=(6, 7, 6))
''',
    "crop": '''
>>> x = np.arange(1000, dtype=np.float32).reshape(10, 10, 10)
>>> crop(x, Box((8, 0, 0), (12, 2, 1))).ravel().tolist()   # zero-padded where the box leaves the image
[800.0, 810.0, 900.0, 910.0, 0.0, 0.0, 0.0, 0.0]
''',
    "paste": '''
>>> x = np.arange(1000, dtype=np.float32).reshape(10, 10, 10)
>>> box = Box((2, 2, 2), (6, 6, 6))
>>> back = paste(crop(x, box), box, x.shape)
>>> np.array_equal(back[box.slices], x[box.slices]), float(back[0, 0, 0])
(True, 0.0)
''',
    "resample": '''
>>> labels = np.zeros((4, 4, 4), np.uint8)
>>> labels[:2] = 1
>>> up = resample(labels, (8, 8, 8), order=0)                # order 0 for label maps
>>> up.shape, int(up[:4].min()), int(up[4:].max())
((8, 8, 8), 1, 0)
''',
    "to_canonical": '''
>>> canonical = to_canonical(case)                           # RAS+: the flipped x axis turned round
>>> float(canonical.label.affine[0, 0]), np.array_equal(canonical.label.data, case.label.data[::-1])
(1.0, True)
''',
    "to_canonical_array": '''
>>> x = np.arange(8).reshape(2, 2, 2)
>>> to_canonical_array(x, np.diag([-1.0, 1.0, 1.0, 1.0]))[:, 0, 0].tolist()
[4, 0]
''',
    "from_canonical": '''
>>> canonical = to_canonical(case)
>>> p = (canonical.label.data > 0).astype(np.uint8)          # a model's output on the canonical grid
>>> np.array_equal(from_canonical(p, case), case.label.data > 0)
True
''',
    "from_canonical_array": '''
>>> affine = np.diag([-1.0, 1.0, 1.0, 1.0])
>>> x = np.arange(8).reshape(2, 2, 2)
>>> np.array_equal(from_canonical_array(to_canonical_array(x, affine), affine), x)
True
''',
}
