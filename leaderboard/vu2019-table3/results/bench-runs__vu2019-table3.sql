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
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','WT','dauc',9.71396313364134345036e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','WT','rftp',8.26365584878805820023e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','WT','rftn',5.67324767098121365838e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','WT','qu-score',9.44009092722147169496e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','TC','dauc',6.75484311762273526014e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','TC','rftp',3.83551918965844354514e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','TC','rftn',1.18841798158756343367e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','TC','qu-score',8.75081646683271152653e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','ET','dauc',8.62234425188174391507e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','ET','rftp',1.886250705366328273e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','ET','rftn',1.27392142346217963899e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(1,'qu-brats','mm','ET','qu-score',8.8695671347230664594e-01,'ok',NULL);
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
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','WT','dauc',8.67581636023113222933e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','WT','rftp',2.0743949538923928122e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','WT','rftn',5.85815400239801525872e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','WT','qu-score',8.67186866869964489978e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','TC','dauc',6.3663092460576617762e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','TC','rftp',1.56178571375377328589e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','TC','rftn',4.27257457980745759124e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','TC','qu-score',6.15305054430290931932e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','ET','dauc',2.15615104848263211545e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','ET','rftp',5.20156249806226655962e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','ET','rftn',4.25773711837717280109e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(2,'qu-brats','mm','ET','qu-score',5.63733705974553078732e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','dice',9.01052631578947299528e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','hd95',1.09881754627417564055e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','specificity',6.44328164885771825787e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','dice',4.62580806457373455709e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','hd95',1.02659631793612035719e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','sensitivity',9.18502233884121666029e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','specificity',6.99165960579147927056e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','dice',3.70426045940867448846e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','hd95',1.06817601545812664194e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','sensitivity',5.35323978630489194507e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','specificity',8.61014811735236085254e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','dauc',2.89924857058257767761e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','rftp',6.57245094104652483046e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','qu-score',5.44226587651201687556e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','dauc',0.0643515781809916,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','rftp',8.57922257908518171021e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','rftn',9.08586992694782380475e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','qu-score',9.9280775859230341318e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','dauc',1.95576966829387188795e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','rftp',9.16422522667222350101e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','rftn',8.68105163101400845171e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','qu-score',1.37016427020254655255e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','dice',1.41241009587236426847e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','hd95',8.08705756019108434884e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','specificity',6.75649366741148726944e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','dice',6.03101524794949633845e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','hd95',95.524865872714,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','sensitivity',8.5969612843523357526e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','specificity',7.19680418912546859822e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','dice',1.17249746111119869558e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','hd95',1.15920446839180527835e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','sensitivity',4.45425867507886430463e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','specificity',8.65346166406110395286e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','dauc',4.04957899693227263426e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','rftp',6.89902878193746849078e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','qu-score',5.71685007166493508456e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','dauc',1.09065472512820310635e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','rftp',8.53429344763730779455e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','rftn',9.00980065414784148103e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','qu-score',1.18218687444768447147e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','dauc',2.88383920956024886184e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','rftp',9.23158640070751879136e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','rftn',8.7201928514698012762e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','qu-score',1.6440199857943096906e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','dice',9.01052631578947299528e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','hd95',1.09881754627417564055e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','specificity',6.44328164885771825787e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','dice',4.2149193378442723068e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','hd95',1.18460964034571318852e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','specificity',6.38217464418551760907e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','dice',3.33558590184652101195e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','hd95',1.0406248123122954041e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','sensitivity',8.42521779610294618834e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','specificity',7.5280992478910857546e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','dauc',1.83451641052298969336e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','rftp',9.14186482252640875145e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','qu-score',4.23088386266552707315e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','dauc',6.36819354452463348703e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','rftp',7.93914084106167816656e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','qu-score',4.2325595044635955233e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','dauc',3.59312239223303492297e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','rftp',8.3324880942722823196e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','rftn',9.87499999999477351408e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','qu-score',7.1727471498541583994e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','dice',1.41241009587236426847e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','hd95',8.08705756019108434884e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','specificity',6.75649366741148726944e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','dice',5.90909929059525301786e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','hd95',1.08802573498975661435e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','specificity',0.665018235291055,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','dice',0.00131535583003967,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','hd95',1.12258629957789878516e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','sensitivity',0.852365930599369,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','specificity',7.70203267493164922541e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','dauc',2.62933187525849931809e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','rftp',9.19182553642322930365e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','qu-score',4.47916877961175685651e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','dauc',1.31204479827145836789e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','rftp',7.82811188584443762294e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','qu-score',4.49464430414234061839e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','dauc',5.77748009787650289477e-04,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','rftp',8.82707253808122205285e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','rftn',9.87499999999382205295e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','qu-score',4.34568314007610853599e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','dice',9.01052631578947299528e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','hd95',1.09881754627417564055e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','specificity',6.44328164885771825787e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','dice',4.2149193378442723068e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','hd95',1.18460964034571318852e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','specificity',6.38217464418551760907e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','dice',2.71744581418106589953e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','hd95',1.18135515404978875153e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','specificity',6.36392957291259664387e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','dauc',2.08964553567287381063e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','rftp',7.23692462525653890104e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','qu-score',4.95090697013877811816e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','dauc',6.27382230407865504329e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','rftp',6.29825366994183566404e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','qu-score',4.77637618682200948416e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','dauc',7.02536686823419520564e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','rftp',6.71252299880738090287e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','qu-score',4.66333789600534620589e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','dice',1.41241009587236426847e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','hd95',8.08705756019108434884e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','specificity',6.75649366741148726944e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','dice',5.90909929059525301786e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','hd95',1.08802573498975661435e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','specificity',0.665018235291055,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','dice',1.03794728733949876732e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','hd95',1.28844867961436477794e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','specificity',6.58212731538921236307e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','dauc',1.68284305477431117559e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','rftp',7.71556223081202530167e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','qu-score',4.65576027465409492123e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','dauc',8.6059449973715659854e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','rftp',0.645116830222772,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','qu-score',4.80314206583647873571e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','dauc',1.38127522298730574107e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','rftp',7.131466876435245128e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','qu-score',4.33555354862116215652e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','dice',9.06811312258478385839e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','hd95',1.04623133197204523983e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','sensitivity',9.97068112977968823429e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','specificity',6.47897667200243665419e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','dice',4.349978019736846363e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','hd95',1.08724422279449242981e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','sensitivity',9.92255868378129179951e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','specificity',6.52716936334708619504e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','dice',2.82804003692246098966e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','hd95',1.07522090753481904814e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','sensitivity',9.89536920041674927794e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','specificity',0.654714136358115,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','dauc',6.31234061570231541615e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','rftp',9.18920596539485656784e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','rftn',9.52646392692603871665e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','qu-score',2.53222357446047319218e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','dauc',4.11174567783184674585e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','rftp',9.35254041651374490307e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','rftn',9.17131136067504071363e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','qu-score',1.86263130021435380223e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','dauc',3.79752266135668203883e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','rftp',8.41439940408604369892e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','rftn',9.70831257781795464723e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','qu-score',1.89160355981756150844e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','dice',1.42147050348295916899e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','hd95',7.62823701781741903005e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','sensitivity',9.96369922957866083201e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','specificity',6.79322299126879358688e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','dice',6.03529728862718245485e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','hd95',9.98649087517732567641e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','sensitivity',9.8183657219101727609e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','specificity',6.78602853674211359269e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','dice',0.00108063869473199,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','hd95',1.16472528939876056601e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','sensitivity',0.98801261829653,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','specificity',6.75666546984427629496e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','dauc',6.6116836649088317479e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','rftp',9.25958368128846687206e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','rftn',9.534486346891724029e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','qu-score',0.260587121224288,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','dauc',4.37397863188395796818e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','rftp',0.933359818511373,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','rftn',9.17372711167445564761e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','qu-score',1.95555111169859102693e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','dauc',2.63141727112338741356e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','rftp',8.75415070176016829606e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','rftn',9.71907415917936834404e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','qu-score',1.38606413672795025782e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','dice',9.06811312258478385839e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','hd95',1.04623133197204523983e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','sensitivity',9.97068112977968823429e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','specificity',6.47897667200243665419e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','dice',4.349978019736846363e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','hd95',1.08724422279449242981e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','sensitivity',9.92255868378129179951e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','specificity',6.52716936334708619504e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','dice',2.82804003692246098966e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','hd95',1.07522090753481904814e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','sensitivity',9.89536920041674927794e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','specificity',0.654714136358115,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','dauc',6.31234061570231541615e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','rftp',9.18920596539485656784e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','rftn',9.52646392692603871665e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','qu-score',2.53222357446047319218e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','dauc',4.11174567783184674585e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','rftp',9.35254041651374490307e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','rftn',9.17131136067504071363e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','qu-score',1.86263130021435380223e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','dauc',3.79752266135668203883e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','rftp',8.41439940408604369892e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','rftn',9.70831257781795464723e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','qu-score',1.89160355981756150844e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','dice',1.42147050348295916899e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','hd95',7.62823701781741903005e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','sensitivity',9.96369922957866083201e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','specificity',6.79322299126879358688e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','dice',6.03529728862718245485e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','hd95',9.98649087517732567641e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','sensitivity',9.8183657219101727609e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','specificity',6.78602853674211359269e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','dice',0.00108063869473199,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','hd95',1.16472528939876056601e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','sensitivity',0.98801261829653,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','specificity',6.75666546984427629496e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','dauc',6.6116836649088317479e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','rftp',9.25958368128846687206e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','rftn',9.534486346891724029e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','qu-score',0.260587121224288,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','dauc',4.37397863188395796818e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','rftp',0.933359818511373,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','rftn',9.17372711167445564761e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','qu-score',1.95555111169859102693e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','dauc',2.63141727112338741356e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','rftp',8.75415070176016829606e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','rftn',9.71907415917936834404e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','qu-score',1.38606413672795025782e-01,'ok',NULL);
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
INSERT INTO "predictions" VALUES(1,'intensity-baseline','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"intensity-baseline": {"checkpoints": {}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "intensity-baseline", "postprocess": {}}','2855b226adb88ba4e8717eb2e37141d3bb609b3ff2ea767275b44670784bda14',2.41765087000021594576e+00,1);
INSERT INTO "predictions" VALUES(2,'intensity-baseline','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"intensity-baseline": {"checkpoints": {}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "intensity-baseline", "postprocess": {}}','2855b226adb88ba4e8717eb2e37141d3bb609b3ff2ea767275b44670784bda14',1.31336278199978551128e+00,1);
INSERT INTO "predictions" VALUES(3,'tunet-seb','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-seb/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','05ab7cd38ab1a2ba6a057aed3ce1191c82411589c1c97dd50f45317e9d38ae8d','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46", "tunet-seb/brats18/fold-0/config.json": "60abfb457c615ed0d2c770088dbe8ebe7c68ffac64b84fea9d01fceeffe9a120", "tunet-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-seb/brats18/fold-0/train_state.json": "d332a10429ae57cbd34f54914cb18e0971cbd6c2ca289a38b39923f866266c8f", "tunet-seb/brats18/fold-0/train_state.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-seb", "postprocess": {}}','10a9bfcc7c1c155dedd90d3e2160313d5a86e353a3f5499897ff89d130513a5a',2.69019843910000417959e+01,2);
INSERT INTO "predictions" VALUES(4,'tunet-seb','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-seb/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','5b0b906a61737902f6698edc9b5a7797ecd9bb73359b86424cfcca56577f419d','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46", "tunet-seb/brats18/fold-0/config.json": "60abfb457c615ed0d2c770088dbe8ebe7c68ffac64b84fea9d01fceeffe9a120", "tunet-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-seb/brats18/fold-0/train_state.json": "d332a10429ae57cbd34f54914cb18e0971cbd6c2ca289a38b39923f866266c8f", "tunet-seb/brats18/fold-0/train_state.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-seb", "postprocess": {}}','10a9bfcc7c1c155dedd90d3e2160313d5a86e353a3f5499897ff89d130513a5a',1.60080355740001323283e+01,2);
INSERT INTO "predictions" VALUES(5,'tunet-reb1-seb','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','57c516f5dba8d914c6920aa90a75d71d3e52e8155705ad130be0fcdc33bd4176','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88", "tunet-reb1-seb/brats18/fold-0/config.json": "30528d3b31e56d4a2e6735f33b2e780e49db3fb036ba2bf9064e8b69857c7b6f", "tunet-reb1-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb1-seb/brats18/fold-0/train_state.json": "32d3e8adf8c052c747c407c4861997fc84c09f33b09cdc8fad54fd6b976871fb", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb1-seb", "postprocess": {}}','34eba5c15e06e819ae321a320dbd82fbefd67dbd4387ca4e984fbf61f885c9ba',2.33968484209999587624e+01,3);
INSERT INTO "predictions" VALUES(6,'tunet-reb1-seb','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','f9030426ce703ed23e55ad24a55cc5b2f94d37cbc50ae38aa9f2c04826939900','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88", "tunet-reb1-seb/brats18/fold-0/config.json": "30528d3b31e56d4a2e6735f33b2e780e49db3fb036ba2bf9064e8b69857c7b6f", "tunet-reb1-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb1-seb/brats18/fold-0/train_state.json": "32d3e8adf8c052c747c407c4861997fc84c09f33b09cdc8fad54fd6b976871fb", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb1-seb", "postprocess": {}}','34eba5c15e06e819ae321a320dbd82fbefd67dbd4387ca4e984fbf61f885c9ba',2.01174576650000744857e+01,3);
INSERT INTO "predictions" VALUES(7,'tunet-reb2-seb','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','b394741ae1ec889cd59d574bf5ca6b2fc2059fabc9672b660081a540ff3e22f8','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711", "tunet-reb2-seb/brats18/fold-0/config.json": "3ced0d44643099102cddd76d20622e81570e490217909eeed5414bbe1316b3ae", "tunet-reb2-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb2-seb/brats18/fold-0/train_state.json": "1a60aab2d862129ee83e31904ef53086329b977a311f7a4f6618050aee417bbe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb2-seb", "postprocess": {}}','7a4de9b1f89efad803ea756d1cb42de62d44bf6121d36fe7da5902a1225d6987',2.06579927689999749414e+01,4);
INSERT INTO "predictions" VALUES(8,'tunet-reb2-seb','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','2fe47f2cf271f4eec61e3780e4c7e76974d498549cd76da75c647d9820dc6679','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711", "tunet-reb2-seb/brats18/fold-0/config.json": "3ced0d44643099102cddd76d20622e81570e490217909eeed5414bbe1316b3ae", "tunet-reb2-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb2-seb/brats18/fold-0/train_state.json": "1a60aab2d862129ee83e31904ef53086329b977a311f7a4f6618050aee417bbe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb2-seb", "postprocess": {}}','7a4de9b1f89efad803ea756d1cb42de62d44bf6121d36fe7da5902a1225d6987',2.16554844030006279345e+01,4);
INSERT INTO "predictions" VALUES(9,'tunet-ensemble','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','74940b9c695251b08b30207bfee32a2efa7cedeed3ad104cf992b2add70cd652','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88", "tunet-reb1-seb/brats18/fold-0/config.json": "30528d3b31e56d4a2e6735f33b2e780e49db3fb036ba2bf9064e8b69857c7b6f", "tunet-reb1-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb1-seb/brats18/fold-0/train_state.json": "32d3e8adf8c052c747c407c4861997fc84c09f33b09cdc8fad54fd6b976871fb", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711", "tunet-reb2-seb/brats18/fold-0/config.json": "3ced0d44643099102cddd76d20622e81570e490217909eeed5414bbe1316b3ae", "tunet-reb2-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb2-seb/brats18/fold-0/train_state.json": "1a60aab2d862129ee83e31904ef53086329b977a311f7a4f6618050aee417bbe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46", "tunet-seb/brats18/fold-0/config.json": "60abfb457c615ed0d2c770088dbe8ebe7c68ffac64b84fea9d01fceeffe9a120", "tunet-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-seb/brats18/fold-0/train_state.json": "d332a10429ae57cbd34f54914cb18e0971cbd6c2ca289a38b39923f866266c8f", "tunet-seb/brats18/fold-0/train_state.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {}}','bfd0c95049946c5ee8fd6550aead874cd8f57720ece703af56c47a55a59e8e98',8.00586675939994165708e+01,5);
INSERT INTO "predictions" VALUES(10,'tunet-ensemble','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','c164b20584a97743fc75e58c2f5d132226c0d71c8548b7a8752e42856e63f566','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88", "tunet-reb1-seb/brats18/fold-0/config.json": "30528d3b31e56d4a2e6735f33b2e780e49db3fb036ba2bf9064e8b69857c7b6f", "tunet-reb1-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb1-seb/brats18/fold-0/train_state.json": "32d3e8adf8c052c747c407c4861997fc84c09f33b09cdc8fad54fd6b976871fb", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711", "tunet-reb2-seb/brats18/fold-0/config.json": "3ced0d44643099102cddd76d20622e81570e490217909eeed5414bbe1316b3ae", "tunet-reb2-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb2-seb/brats18/fold-0/train_state.json": "1a60aab2d862129ee83e31904ef53086329b977a311f7a4f6618050aee417bbe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46", "tunet-seb/brats18/fold-0/config.json": "60abfb457c615ed0d2c770088dbe8ebe7c68ffac64b84fea9d01fceeffe9a120", "tunet-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-seb/brats18/fold-0/train_state.json": "d332a10429ae57cbd34f54914cb18e0971cbd6c2ca289a38b39923f866266c8f", "tunet-seb/brats18/fold-0/train_state.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {}}','bfd0c95049946c5ee8fd6550aead874cd8f57720ece703af56c47a55a59e8e98',42.0219876150004,5);
INSERT INTO "predictions" VALUES(11,'tunet-ensemble+tunet-postprocess','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','74940b9c695251b08b30207bfee32a2efa7cedeed3ad104cf992b2add70cd652','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88", "tunet-reb1-seb/brats18/fold-0/config.json": "30528d3b31e56d4a2e6735f33b2e780e49db3fb036ba2bf9064e8b69857c7b6f", "tunet-reb1-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb1-seb/brats18/fold-0/train_state.json": "32d3e8adf8c052c747c407c4861997fc84c09f33b09cdc8fad54fd6b976871fb", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711", "tunet-reb2-seb/brats18/fold-0/config.json": "3ced0d44643099102cddd76d20622e81570e490217909eeed5414bbe1316b3ae", "tunet-reb2-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb2-seb/brats18/fold-0/train_state.json": "1a60aab2d862129ee83e31904ef53086329b977a311f7a4f6618050aee417bbe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46", "tunet-seb/brats18/fold-0/config.json": "60abfb457c615ed0d2c770088dbe8ebe7c68ffac64b84fea9d01fceeffe9a120", "tunet-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-seb/brats18/fold-0/train_state.json": "d332a10429ae57cbd34f54914cb18e0971cbd6c2ca289a38b39923f866266c8f", "tunet-seb/brats18/fold-0/train_state.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {"tunet-postprocess": "tumorbench 0.1.0"}}','58c0b1ccd78d86f7d5b48600c7fc16c999b401d5e94472ddabe22aa258708170',6.3797857251000095859e+01,6);
INSERT INTO "predictions" VALUES(12,'tunet-ensemble+tunet-postprocess','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','c164b20584a97743fc75e58c2f5d132226c0d71c8548b7a8752e42856e63f566','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88", "tunet-reb1-seb/brats18/fold-0/config.json": "30528d3b31e56d4a2e6735f33b2e780e49db3fb036ba2bf9064e8b69857c7b6f", "tunet-reb1-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb1-seb/brats18/fold-0/train_state.json": "32d3e8adf8c052c747c407c4861997fc84c09f33b09cdc8fad54fd6b976871fb", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "883cf63eab48721bf9fcbdd23968a967473740b32d7e98d32e718a42173d2b88"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711", "tunet-reb2-seb/brats18/fold-0/config.json": "3ced0d44643099102cddd76d20622e81570e490217909eeed5414bbe1316b3ae", "tunet-reb2-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-reb2-seb/brats18/fold-0/train_state.json": "1a60aab2d862129ee83e31904ef53086329b977a311f7a4f6618050aee417bbe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "ec8b16d64bb48cf5d64f4e1c7d0e2fc1071ac37c15005a5f67a5c283b8c05711"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46", "tunet-seb/brats18/fold-0/config.json": "60abfb457c615ed0d2c770088dbe8ebe7c68ffac64b84fea9d01fceeffe9a120", "tunet-seb/brats18/fold-0/split.json": "edf42030d86313eac765311c4c846dfa3d3318a903d60e36ccc92b73f80fea0f", "tunet-seb/brats18/fold-0/train_state.json": "d332a10429ae57cbd34f54914cb18e0971cbd6c2ca289a38b39923f866266c8f", "tunet-seb/brats18/fold-0/train_state.keras": "315f91a4e7e43ff503f651ff21dd96941df8ee9a13c5674429105baa5bf5ae46"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {"tunet-postprocess": "tumorbench 0.1.0"}}','58c0b1ccd78d86f7d5b48600c7fc16c999b401d5e94472ddabe22aa258708170',4.72732991760003642403e+01,6);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    provenance TEXT NOT NULL,
    planned INTEGER,
    done INTEGER,
    interrupted INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "runs" VALUES(1,1.7961621476269578934e+09,1.7961621517333602906e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"intensity-baseline": "intensity-baseline"}, "models": ["intensity-baseline"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/intensity-baseline": "tumorbench 0.1.0"}, "postprocess": [], "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(2,1.79616215207631182669e+09,1.79616219827181839937e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-seb": "tunet-seb"}, "models": ["tunet-seb"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-seb": "tumorbench 0.1.0"}, "postprocess": [], "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(3,1.7961621988215377331e+09,1.79616224447446799273e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-reb1-seb": "tunet-reb1-seb"}, "models": ["tunet-reb1-seb"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb1-seb": "tumorbench 0.1.0"}, "postprocess": [], "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(4,1.79616224472206163407e+09,1.79616228875878047943e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-reb2-seb": "tunet-reb2-seb"}, "models": ["tunet-reb2-seb"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb2-seb": "tumorbench 0.1.0"}, "postprocess": [], "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(5,1.7961622914137096405e+09,1.79616241556046509746e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-ensemble": "tunet-ensemble"}, "models": ["tunet-ensemble"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "ensemble/tunet-ensemble": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb1-seb": "tumorbench 0.1.0", "model/tunet-reb2-seb": "tumorbench 0.1.0", "model/tunet-seb": "tumorbench 0.1.0"}, "postprocess": [], "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(6,1.79616241624652171133e+09,1.79616252964634561537e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml", "data_roots": {"brats18": "experiments/../../shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-ensemble+tunet-postprocess": "tunet-ensemble"}, "models": ["tunet-ensemble"], "platform": "Linux-6.18.44-fc-v857-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "ensemble/tunet-ensemble": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb1-seb": "tumorbench 0.1.0", "model/tunet-reb2-seb": "tumorbench 0.1.0", "model/tunet-seb": "tumorbench 0.1.0", "postprocessor/tunet-postprocess": "tumorbench 0.1.0"}, "postprocess": ["tunet-postprocess"], "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "tumorbench_version": "0.1.0"}',2,2,0);
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
INSERT INTO "scores" VALUES(1,'brats-legacy','mm','ok','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.63604025099994032643e+00,1);
INSERT INTO "scores" VALUES(1,'qu-brats','mm','ok','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.63604025099994032643e+00,1);
INSERT INTO "scores" VALUES(2,'brats-legacy','mm','ok','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.46503619499981141416e+00,1);
INSERT INTO "scores" VALUES(2,'qu-brats','mm','ok','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.46503619499981141416e+00,1);
INSERT INTO "scores" VALUES(3,'brats-legacy','mm','ok','05ab7cd38ab1a2ba6a057aed3ce1191c82411589c1c97dd50f45317e9d38ae8d','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.88596589279995896504e+01,2);
INSERT INTO "scores" VALUES(3,'qu-brats','mm','ok','05ab7cd38ab1a2ba6a057aed3ce1191c82411589c1c97dd50f45317e9d38ae8d','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.88596589279995896504e+01,2);
INSERT INTO "scores" VALUES(4,'brats-legacy','mm','ok','5b0b906a61737902f6698edc9b5a7797ecd9bb73359b86424cfcca56577f419d','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.73102838819995668022e+01,2);
INSERT INTO "scores" VALUES(4,'qu-brats','mm','ok','5b0b906a61737902f6698edc9b5a7797ecd9bb73359b86424cfcca56577f419d','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.73102838819995668022e+01,2);
INSERT INTO "scores" VALUES(5,'brats-legacy','mm','ok','57c516f5dba8d914c6920aa90a75d71d3e52e8155705ad130be0fcdc33bd4176','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.44725618800002848725e+01,3);
INSERT INTO "scores" VALUES(5,'qu-brats','mm','ok','57c516f5dba8d914c6920aa90a75d71d3e52e8155705ad130be0fcdc33bd4176','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.44725618800002848725e+01,3);
INSERT INTO "scores" VALUES(6,'brats-legacy','mm','ok','f9030426ce703ed23e55ad24a55cc5b2f94d37cbc50ae38aa9f2c04826939900','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',2.11614258589997916715e+01,3);
INSERT INTO "scores" VALUES(6,'qu-brats','mm','ok','f9030426ce703ed23e55ad24a55cc5b2f94d37cbc50ae38aa9f2c04826939900','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',2.11614258589997916715e+01,3);
INSERT INTO "scores" VALUES(7,'brats-legacy','mm','ok','b394741ae1ec889cd59d574bf5ca6b2fc2059fabc9672b660081a540ff3e22f8','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.14777056049997554514e+01,4);
INSERT INTO "scores" VALUES(7,'qu-brats','mm','ok','b394741ae1ec889cd59d574bf5ca6b2fc2059fabc9672b660081a540ff3e22f8','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.14777056049997554514e+01,4);
INSERT INTO "scores" VALUES(8,'brats-legacy','mm','ok','2fe47f2cf271f4eec61e3780e4c7e76974d498549cd76da75c647d9820dc6679','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',2.25386594070005230605e+01,4);
INSERT INTO "scores" VALUES(8,'qu-brats','mm','ok','2fe47f2cf271f4eec61e3780e4c7e76974d498549cd76da75c647d9820dc6679','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',2.25386594070005230605e+01,4);
INSERT INTO "scores" VALUES(9,'brats-legacy','mm','ok','74940b9c695251b08b30207bfee32a2efa7cedeed3ad104cf992b2add70cd652','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',8.11301710500001718208e+01,5);
INSERT INTO "scores" VALUES(9,'qu-brats','mm','ok','74940b9c695251b08b30207bfee32a2efa7cedeed3ad104cf992b2add70cd652','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',8.11301710500001718208e+01,5);
INSERT INTO "scores" VALUES(10,'brats-legacy','mm','ok','c164b20584a97743fc75e58c2f5d132226c0d71c8548b7a8752e42856e63f566','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.29653211419999934159e+01,5);
INSERT INTO "scores" VALUES(10,'qu-brats','mm','ok','c164b20584a97743fc75e58c2f5d132226c0d71c8548b7a8752e42856e63f566','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.29653211419999934159e+01,5);
INSERT INTO "scores" VALUES(11,'brats-legacy','mm','ok','74940b9c695251b08b30207bfee32a2efa7cedeed3ad104cf992b2add70cd652','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',64.9922802000001,6);
INSERT INTO "scores" VALUES(11,'qu-brats','mm','ok','74940b9c695251b08b30207bfee32a2efa7cedeed3ad104cf992b2add70cd652','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',64.9922802000001,6);
INSERT INTO "scores" VALUES(12,'brats-legacy','mm','ok','c164b20584a97743fc75e58c2f5d132226c0d71c8548b7a8752e42856e63f566','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.83955751020002935538e+01,6);
INSERT INTO "scores" VALUES(12,'qu-brats','mm','ok','c164b20584a97743fc75e58c2f5d132226c0d71c8548b7a8752e42856e63f566','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.83955751020002935538e+01,6);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('runs',6);
INSERT INTO "sqlite_sequence" VALUES('predictions',12);
PRAGMA user_version = 2;
COMMIT;
