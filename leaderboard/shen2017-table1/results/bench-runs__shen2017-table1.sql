BEGIN TRANSACTION;
CREATE TABLE file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE metrics (
    prediction_id INTEGER NOT NULL,
    metric_convention TEXT NOT NULL,
    units TEXT NOT NULL,
    region TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'case-failed')),
    reason TEXT,
    PRIMARY KEY (prediction_id, metric_convention, units, region, metric),
    FOREIGN KEY (prediction_id, metric_convention, units)
        REFERENCES scores(prediction_id, metric_convention, units) ON DELETE CASCADE
);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','WT','dice',9.41697361803922605716e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','WT','hd95',2.82842712474619029094e+00,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','WT','sensitivity',0.896827348745696,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','WT','specificity',9.99861286703173646195e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','TC','dice',0.642587732911952,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','TC','hd95',7.6811457478686078204e+00,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','TC','sensitivity',4.84490461669385141796e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','TC','specificity',9.99813378387456097584e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','ET','dice',8.06217616580310880713e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','ET','hd95',3.0,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','ET','sensitivity',7.07100263793753236463e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'brats-legacy','mm','ET','specificity',9.99761226330757923896e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','WT','dice',8.14016632027056541431e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','WT','hd95',6.40312423743284853117e+00,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','WT','sensitivity',6.9990213450254579186e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','WT','specificity',9.99473899008618715811e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','TC','dice',7.49585051132408818758e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','TC','hd95',2.86181760425083702159e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','TC','sensitivity',3.76611358598575316283e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','TC','specificity',9.9998856828007853803e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','ET','dice',3.14341846758349696688e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','ET','hd95',15.0,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','ET','sensitivity',2.01892744479495261922e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'brats-legacy','mm','ET','specificity',9.9998532445556254089e-01,'ok',NULL);
CREATE TABLE predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model TEXT NOT NULL,
    dataset TEXT NOT NULL,
    case_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    reason TEXT,
    label_convention TEXT NOT NULL,
    regions TEXT NOT NULL,
    shape TEXT,
    files TEXT NOT NULL,
    prediction_sha256 TEXT,
    reference_sha256 TEXT,
    has_reference INTEGER NOT NULL,
    identity TEXT,
    identity_sha256 TEXT,
    seconds REAL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    UNIQUE (model, dataset, case_id)
);
INSERT INTO "predictions" VALUES(1,'intensity-baseline','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"intensity-baseline": {"checkpoints": {}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "intensity-baseline", "postprocess": {}}','2855b226adb88ba4e8717eb2e37141d3bb609b3ff2ea767275b44670784bda14',1.34425724199991236673e+00,1);
INSERT INTO "predictions" VALUES(2,'intensity-baseline','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"intensity-baseline": {"checkpoints": {}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "intensity-baseline", "postprocess": {}}','2855b226adb88ba4e8717eb2e37141d3bb609b3ff2ea767275b44670784bda14',1.07487074600067,1);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    provenance TEXT NOT NULL,
    planned INTEGER,
    done INTEGER,
    interrupted INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "runs" VALUES(1,1.79616379456413388249e+09,1.79616379741793298716e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/shen2017-table1.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy"], "model_params": {}, "model_refs": {"intensity-baseline": "intensity-baseline"}, "models": ["intensity-baseline"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "model/intensity-baseline": "tumorbench 0.1.0"}, "postprocess": [], "python": "3.11.7", "seed": 0, "store": "bench-runs/shen2017-table1/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
CREATE TABLE scores (
    prediction_id INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
    metric_convention TEXT NOT NULL,
    units TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'case-failed')),
    prediction_sha256 TEXT,
    reference_sha256 TEXT,
    seconds REAL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (prediction_id, metric_convention, units)
);
INSERT INTO "scores" VALUES(1,'brats-legacy','mm','ok','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1.68157046800024545518e+00,1);
INSERT INTO "scores" VALUES(2,'brats-legacy','mm','ok','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.16977286400015145773e+00,1);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('runs',1);
INSERT INTO "sqlite_sequence" VALUES('predictions',2);
PRAGMA user_version = 2;
COMMIT;
