BEGIN TRANSACTION;
CREATE TABLE file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
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
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','dice',9.01230801715574569854e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','hd95',1.09881754627417564055e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','WT','specificity',0.644405443123445,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','dice',5.16883167927680090003e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','hd95',1.05437185091408807129e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','sensitivity',9.3261470817672509348e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','TC','specificity',7.28140856980444284296e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','dice',4.20719212812459136818e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','hd95',1.05839501132611161441e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','sensitivity',4.92008601006406420808e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'brats-legacy','mm','ET','specificity',8.88798340269702835669e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','dauc',2.81070290272696032829e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','rftp',0.663764335826759,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','rftn',9.87499882280840624027e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','WT','qu-score',2.09935357388365467778e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','dauc',5.17750960568480605994e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','rftp',8.54594777502480806852e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','rftn',0.918055805020554,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','TC','qu-score',9.30415045112710920038e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','dauc',1.5256136818483534423e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','rftp',9.42951678300860129944e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','rftn',8.88067754098276762597e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(3,'qu-brats','mm','ET','qu-score',1.0718064526189947927e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','dice',1.41320566303400146912e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','hd95',8.09753048774748407367e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','WT','specificity',6.75861992037993353221e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','dice',6.96548444122218335383e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','hd95',9.73447481891036545641e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','sensitivity',8.88028062926377814711e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','TC','specificity',7.5165267582607753205e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','dice',1.21345882273353792256e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','hd95',1.1342839150759390066e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','sensitivity',3.62145110410094617225e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'brats-legacy','mm','ET','specificity',8.94257997191481690535e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','dauc',3.34273162852956717827e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','rftp',6.98670247163912683241e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','rftn',0.0,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','WT','qu-score',5.45200971896348085543e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','dauc',1.09648360620803228537e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','rftp',8.41512274620730860164e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','rftn',9.11896868004726135481e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','TC','qu-score',1.18746405998448753549e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','dauc',1.87984068981616458948e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','rftp',9.37674215833136814879e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','rftn',8.91042177779728161723e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(4,'qu-brats','mm','ET','qu-score',1.19755891789583832074e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','dice',0.0901072216147669,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','hd95',1.09772492000500747626e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','sensitivity',9.99786418826209666299e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','WT','specificity',0.644416385174797,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','dice',4.27256733186544071512e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','hd95',1.16516093309036065765e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','sensitivity',9.99744698957520716575e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','TC','specificity',6.4340674197388769695e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','dice',3.49276706309119902571e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','hd95',1.03527774051217775759e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','sensitivity',8.31992197025115842734e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'brats-legacy','mm','ET','specificity',7.67363523286174076254e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','dauc',1.81983464391971605511e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','rftp',9.16071613528990580377e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','rftn',9.58587785823387106276e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','WT','qu-score',1.02441355013197968326e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','dauc',7.48095422401478110652e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','rftp',7.97093613005305567931e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','rftn',9.8749999991892623008e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','TC','qu-score',9.67386431053053330586e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','dauc',4.03935403409010698738e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','rftp',8.30259511880555911567e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','rftn',9.87499999999509436854e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(5,'qu-brats','mm','ET','qu-score',7.42113428202785668785e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','dice',1.41279386377951121644e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','hd95',80.8968478494557,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','sensitivity',9.99922397402899787444e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','WT','specificity',6.75779195816398892127e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','dice',5.99200940737351570031e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','hd95',1.08788096762957394499e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','sensitivity',9.99827834807497817237e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','TC','specificity',6.70003031103559409942e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','dice',1.38212931586148340609e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','hd95',1.10512442738363176881e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','sensitivity',8.4416403785488958178e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'brats-legacy','mm','ET','specificity',7.83427053301913423055e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','dauc',2.61250734562204767197e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','rftp',9.20460811958152769207e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','rftn',9.54921259394348576066e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','WT','qu-score',1.28622887736567798055e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','dauc',1.02015673570669124226e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','rftp',7.91296089023716398003e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','rftn',9.8749999988925762917e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','TC','qu-score',1.07739861552565027724e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','dauc',6.25559053013586825568e-04,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','rftp',8.81838564943853930877e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','rftn',9.87499999999419619811e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(6,'qu-brats','mm','ET','qu-score',4.37623313699133445475e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','dice',9.01148030791081161572e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','hd95',1.0974515934655158844e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','sensitivity',9.99935278432184770913e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','WT','specificity',0.644393703214182,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','dice',4.21524803103467265996e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','hd95',1.18342722632192305805e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','sensitivity',9.99900716261258093453e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','TC','specificity',0.638283623078534,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','dice',2.71756976180219378402e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','hd95',1.18059307129933642953e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','sensitivity',9.99866994746292481188e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'brats-legacy','mm','ET','specificity',6.36459039395854242471e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','dauc',2.09416123229779177483e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','rftp',7.22901510051352280683e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','rftn',8.22499998692671430156e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','WT','qu-score',2.21338204828585155548e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','dauc',5.97786451504933522005e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','rftp',6.34381471813730501985e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','rftn',6.61217947707393394196e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','TC','qu-score',2.54726408543123172822e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','dauc',0.0747677257408665,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','rftp',6.6422430994170977847e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','rftn',9.87499998509883902819e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(7,'qu-brats','mm','ET','qu-score',1.41014472429757592442e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','dice',1.41254812016933184448e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','hd95',8.07774721070175587538e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','sensitivity',0.999943953679872,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','WT','specificity',6.75705944159238347523e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','dice',5.91004814386497170919e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','hd95',1.08692226032959695205e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','TC','specificity',6.65075393890662502904e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','dice',1.03811894157715477009e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','hd95',1.28724512040248185941e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','sensitivity',1.0,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'brats-legacy','mm','ET','specificity',6.58269305202592525105e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','dauc',1.72499082648741780543e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','rftp',7.68554096352940807612e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','rftn',8.35714282156253318589e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','WT','qu-score',1.89410234713182551447e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','dauc',7.86168614576189528353e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','rftp',6.57301149201816814482e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','rftn',6.94207315054732543302e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','TC','qu-score',2.42369465733689865016e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','dauc',1.36413245846212331791e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','rftp',7.13682965246007827708e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','rftn',9.87499997128800544032e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(8,'qu-brats','mm','ET','qu-score',1.04152787403270954968e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','dice',9.13315454936067389057e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','hd95',1.04446158378372160773e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','sensitivity',9.97398192973826591689e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','WT','specificity',6.50534131677557803108e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','dice',4.47487524215160123453e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','hd95',1.10344913793069778764e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','sensitivity',9.92227501595631555808e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','TC','specificity',0.662862355553122,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','dice',2.90904424794324566183e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','hd95',1.0948972554536796054e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','sensitivity',9.9002460597193586711e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'brats-legacy','mm','ET','specificity',0.664442390307928,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','dauc',6.41316932004668549538e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','rftp',9.19670389211908467785e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','rftn',9.56827672599439682521e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','WT','qu-score',2.54939623397773484914e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','dauc',4.04585909620786887685e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','rftp',9.37420665550098508589e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','rftn',9.20144040894148140807e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','TC','qu-score',1.82340401058846746096e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','dauc',1.23144078472492632392e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','rftp',8.40992420677990848432e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','rftn',9.73488846768974402934e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(9,'qu-brats','mm','ET','qu-score',1.02887603675175798301e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','dice',1.43586255096097847872e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','hd95',7.67463354173995782048e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','sensitivity',9.96456148065755220599e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','WT','specificity',6.83040539444982441885e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','dice',6.2651158220004471433e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','hd95',1.03116439038593654231e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','sensitivity',9.87862353928594449925e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','TC','specificity',6.89197115222455636285e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','dice',1.1083994740088871922e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','hd95',1.20290066075181911742e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','sensitivity',9.81703470031545788465e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'brats-legacy','mm','ET','specificity',6.85818886977582864439e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','dauc',6.57749511003628106742e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','rftp',0.928041321079957,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','rftn',9.57394915716575534148e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','WT','qu-score',2.57437758069031852325e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','dauc',4.86548989515776408865e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','rftp',9.3420854845967171709e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','rftn',9.21546096306323336833e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','TC','qu-score',2.10264781583260451647e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','dauc',2.87934667952804645985e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','rftp',8.80012853403016936937e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','rftn',9.74414179806837532638e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(10,'qu-brats','mm','ET','qu-score',1.44502544914316716218e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','dice',9.13315454936067389057e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','hd95',1.04446158378372160773e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','sensitivity',9.97398192973826591689e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','WT','specificity',6.50534131677557803108e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','dice',4.47487524215160123453e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','hd95',1.10344913793069778764e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','sensitivity',9.92227501595631555808e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','TC','specificity',0.662862355553122,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','dice',2.90904424794324566183e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','hd95',1.0948972554536796054e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','sensitivity',9.9002460597193586711e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'brats-legacy','mm','ET','specificity',0.664442390307928,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','dauc',6.41316932004668549538e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','rftp',9.19670389211908467785e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','rftn',9.56827672599439682521e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','WT','qu-score',2.54939623397773484914e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','dauc',4.04585909620786887685e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','rftp',9.37420665550098508589e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','rftn',9.20144040894148140807e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','TC','qu-score',1.82340401058846746096e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','dauc',1.23144078472492632392e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','rftp',8.40992420677990848432e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','rftn',9.73488846768974402934e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(11,'qu-brats','mm','ET','qu-score',1.02887603675175798301e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','dice',1.43586255096097847872e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','hd95',7.67463354173995782048e+01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','sensitivity',9.96456148065755220599e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','WT','specificity',6.83040539444982441885e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','dice',6.2651158220004471433e-02,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','hd95',1.03116439038593654231e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','sensitivity',9.87862353928594449925e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','TC','specificity',6.89197115222455636285e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','dice',1.1083994740088871922e-03,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','hd95',1.20290066075181911742e+02,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','sensitivity',9.81703470031545788465e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'brats-legacy','mm','ET','specificity',6.85818886977582864439e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','dauc',6.57749511003628106742e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','rftp',0.928041321079957,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','rftn',9.57394915716575534148e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','WT','qu-score',2.57437758069031852325e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','dauc',4.86548989515776408865e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','rftp',9.3420854845967171709e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','rftn',9.21546096306323336833e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','TC','qu-score',2.10264781583260451647e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','dauc',2.87934667952804645985e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','rftp',8.80012853403016936937e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','rftn',9.74414179806837532638e-01,'ok',NULL);
INSERT INTO "metrics" VALUES(12,'qu-brats','mm','ET','qu-score',1.44502544914316716218e-01,'ok',NULL);
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
INSERT INTO "predictions" VALUES(1,'intensity-baseline','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"intensity-baseline": {"checkpoints": {}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "intensity-baseline", "postprocess": {}}','2855b226adb88ba4e8717eb2e37141d3bb609b3ff2ea767275b44670784bda14',2.30623468300109379924e+00,1);
INSERT INTO "predictions" VALUES(2,'intensity-baseline','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/intensity-baseline/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"intensity-baseline": {"checkpoints": {}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "intensity-baseline", "postprocess": {}}','2855b226adb88ba4e8717eb2e37141d3bb609b3ff2ea767275b44670784bda14',1.53123621399936382658e+00,1);
INSERT INTO "predictions" VALUES(3,'tunet-seb','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-seb/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','2f3cb49483e512874c21b5263dbb4cad4953a7b1efaaf33772adf8c349407125','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201", "tunet-seb/brats18/fold-0/config.json": "88a849134f719446e8220a500c32fa6296581ac71ceb2b1ae613b83c2b517e4f", "tunet-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-seb/brats18/fold-0/train_state.json": "f5eba52d586d8396b13da45a8893daca7c957953f3c0b3d332bd20d2f7e8e71a", "tunet-seb/brats18/fold-0/train_state.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-seb", "postprocess": {}}','8020981ba5548b73208e70adba86b3a5c5f70e02f820b5e1b835f97bc2b31cee',3.21952907370032335174e+01,2);
INSERT INTO "predictions" VALUES(4,'tunet-seb','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-seb/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-seb/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','ddbb65e6f580c8068ea25a78500b9222db66462efaea3e3429c081d38b2ebab2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201", "tunet-seb/brats18/fold-0/config.json": "88a849134f719446e8220a500c32fa6296581ac71ceb2b1ae613b83c2b517e4f", "tunet-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-seb/brats18/fold-0/train_state.json": "f5eba52d586d8396b13da45a8893daca7c957953f3c0b3d332bd20d2f7e8e71a", "tunet-seb/brats18/fold-0/train_state.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-seb", "postprocess": {}}','8020981ba5548b73208e70adba86b3a5c5f70e02f820b5e1b835f97bc2b31cee',2.27229465890013671014e+01,2);
INSERT INTO "predictions" VALUES(5,'tunet-reb1-seb','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','a791fcc367e9af077c7613e31075aee39b3eb8428b5074fb14738ac97f72c485','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1", "tunet-reb1-seb/brats18/fold-0/config.json": "bec737a7b057e9a5d696a68ac0168dbf72c958d896496dfb7a9678251ffe0f7a", "tunet-reb1-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb1-seb/brats18/fold-0/train_state.json": "dc5e5bb043ea706feca9185a0c5d004415d3e2481bccedcff922bab959c54c9e", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb1-seb", "postprocess": {}}','122d875d7cee8abaea659db85f51ca001de2b283dd19a168a699f9bde630c4e8',4.96654379810024693142e+01,3);
INSERT INTO "predictions" VALUES(6,'tunet-reb1-seb','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-reb1-seb/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','dc2cefe43cce89db0a051e647c104f98cf5ee7ec265ea7df65e99e0f20e01854','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1", "tunet-reb1-seb/brats18/fold-0/config.json": "bec737a7b057e9a5d696a68ac0168dbf72c958d896496dfb7a9678251ffe0f7a", "tunet-reb1-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb1-seb/brats18/fold-0/train_state.json": "dc5e5bb043ea706feca9185a0c5d004415d3e2481bccedcff922bab959c54c9e", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb1-seb", "postprocess": {}}','122d875d7cee8abaea659db85f51ca001de2b283dd19a168a699f9bde630c4e8',4.33755737990031775552e+01,3);
INSERT INTO "predictions" VALUES(7,'tunet-reb2-seb','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','5f1ace1961bf4253dc5131c9fff9215b9b6bdbaf0960b34d94f705b956b131b1','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4", "tunet-reb2-seb/brats18/fold-0/config.json": "51334ed5e52d25c81d61b6cc31f2c76a01360e806fad29c67d96eeaabcf2510f", "tunet-reb2-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb2-seb/brats18/fold-0/train_state.json": "c684f70c15f6fc9e877c4328af68bf5286523f8302bbd7c2080cf7d4496627fe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb2-seb", "postprocess": {}}','8e7b78ce2e2f3becbc7ee8e7606e286760f31cf504d3a3cd9fa35baa186ed7d8',4.53649468940020597065e+01,4);
INSERT INTO "predictions" VALUES(8,'tunet-reb2-seb','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-reb2-seb/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','1f48149f4ca216a73afc16e2698fe890f196e337bd1ea8ac823e1c687802e3ae','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4", "tunet-reb2-seb/brats18/fold-0/config.json": "51334ed5e52d25c81d61b6cc31f2c76a01360e806fad29c67d96eeaabcf2510f", "tunet-reb2-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb2-seb/brats18/fold-0/train_state.json": "c684f70c15f6fc9e877c4328af68bf5286523f8302bbd7c2080cf7d4496627fe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": null, "model": "tunet-reb2-seb", "postprocess": {}}','8e7b78ce2e2f3becbc7ee8e7606e286760f31cf504d3a3cd9fa35baa186ed7d8',4.10551078899989079201e+01,4);
INSERT INTO "predictions" VALUES(9,'tunet-ensemble','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','93589d893a4d0413316e8575c48361cfeecbac29c6d114dd5ec6ac434f62497b','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1", "tunet-reb1-seb/brats18/fold-0/config.json": "bec737a7b057e9a5d696a68ac0168dbf72c958d896496dfb7a9678251ffe0f7a", "tunet-reb1-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb1-seb/brats18/fold-0/train_state.json": "dc5e5bb043ea706feca9185a0c5d004415d3e2481bccedcff922bab959c54c9e", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4", "tunet-reb2-seb/brats18/fold-0/config.json": "51334ed5e52d25c81d61b6cc31f2c76a01360e806fad29c67d96eeaabcf2510f", "tunet-reb2-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb2-seb/brats18/fold-0/train_state.json": "c684f70c15f6fc9e877c4328af68bf5286523f8302bbd7c2080cf7d4496627fe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201", "tunet-seb/brats18/fold-0/config.json": "88a849134f719446e8220a500c32fa6296581ac71ceb2b1ae613b83c2b517e4f", "tunet-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-seb/brats18/fold-0/train_state.json": "f5eba52d586d8396b13da45a8893daca7c957953f3c0b3d332bd20d2f7e8e71a", "tunet-seb/brats18/fold-0/train_state.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {}}','634618c35e63db7162027d856c6f8c00cd606478f7d146af59e206ea28205ddb',1.17266514643000846268e+02,5);
INSERT INTO "predictions" VALUES(10,'tunet-ensemble','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-ensemble/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','53b47d4c2d5d1b9316cc59b79676d79b1e333839b737ebf3b1d35b8579164554','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1", "tunet-reb1-seb/brats18/fold-0/config.json": "bec737a7b057e9a5d696a68ac0168dbf72c958d896496dfb7a9678251ffe0f7a", "tunet-reb1-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb1-seb/brats18/fold-0/train_state.json": "dc5e5bb043ea706feca9185a0c5d004415d3e2481bccedcff922bab959c54c9e", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4", "tunet-reb2-seb/brats18/fold-0/config.json": "51334ed5e52d25c81d61b6cc31f2c76a01360e806fad29c67d96eeaabcf2510f", "tunet-reb2-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb2-seb/brats18/fold-0/train_state.json": "c684f70c15f6fc9e877c4328af68bf5286523f8302bbd7c2080cf7d4496627fe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201", "tunet-seb/brats18/fold-0/config.json": "88a849134f719446e8220a500c32fa6296581ac71ceb2b1ae613b83c2b517e4f", "tunet-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-seb/brats18/fold-0/train_state.json": "f5eba52d586d8396b13da45a8893daca7c957953f3c0b3d332bd20d2f7e8e71a", "tunet-seb/brats18/fold-0/train_state.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {}}','634618c35e63db7162027d856c6f8c00cd606478f7d146af59e206ea28205ddb',1.32554101219997392039e+02,5);
INSERT INTO "predictions" VALUES(11,'tunet-ensemble+tunet-postprocess','brats18','Brats18_TCIA01_201_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1_unc_whole.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1_unc_core.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA01_201_1_unc_enhance.nii.gz"]','93589d893a4d0413316e8575c48361cfeecbac29c6d114dd5ec6ac434f62497b','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1", "tunet-reb1-seb/brats18/fold-0/config.json": "bec737a7b057e9a5d696a68ac0168dbf72c958d896496dfb7a9678251ffe0f7a", "tunet-reb1-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb1-seb/brats18/fold-0/train_state.json": "dc5e5bb043ea706feca9185a0c5d004415d3e2481bccedcff922bab959c54c9e", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4", "tunet-reb2-seb/brats18/fold-0/config.json": "51334ed5e52d25c81d61b6cc31f2c76a01360e806fad29c67d96eeaabcf2510f", "tunet-reb2-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb2-seb/brats18/fold-0/train_state.json": "c684f70c15f6fc9e877c4328af68bf5286523f8302bbd7c2080cf7d4496627fe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201", "tunet-seb/brats18/fold-0/config.json": "88a849134f719446e8220a500c32fa6296581ac71ceb2b1ae613b83c2b517e4f", "tunet-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-seb/brats18/fold-0/train_state.json": "f5eba52d586d8396b13da45a8893daca7c957953f3c0b3d332bd20d2f7e8e71a", "tunet-seb/brats18/fold-0/train_state.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {"tunet-postprocess": "tumorbench 0.1.0"}}','7e8a6c83c7aae75e257f3cbfb0cbdc13c0ed7ef648819b613bab611174b30aad',1.10368445572999917202e+02,6);
INSERT INTO "predictions" VALUES(12,'tunet-ensemble+tunet-postprocess','brats18','Brats18_TCIA10_637_1','ok',NULL,'brats-2017','["WT", "TC", "ET"]','[240, 240, 155]','["predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1_unc_whole.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1_unc_core.nii.gz", "predictions/tunet-ensemble+tunet-postprocess/brats18/Brats18_TCIA10_637_1_unc_enhance.nii.gz"]','53b47d4c2d5d1b9316cc59b79676d79b1e333839b737ebf3b1d35b8579164554','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1,'{"fold": null, "members": {"tunet-reb1-seb": {"checkpoints": {"tunet-reb1-seb/brats18/fold-0/checkpoint.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1", "tunet-reb1-seb/brats18/fold-0/config.json": "bec737a7b057e9a5d696a68ac0168dbf72c958d896496dfb7a9678251ffe0f7a", "tunet-reb1-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb1-seb/brats18/fold-0/train_state.json": "dc5e5bb043ea706feca9185a0c5d004415d3e2481bccedcff922bab959c54c9e", "tunet-reb1-seb/brats18/fold-0/train_state.keras": "dcacf2ea3b05977eab735a017890b1fa78726b31b2163280bc84370c8f4b78e1"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-reb2-seb": {"checkpoints": {"tunet-reb2-seb/brats18/fold-0/checkpoint.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4", "tunet-reb2-seb/brats18/fold-0/config.json": "51334ed5e52d25c81d61b6cc31f2c76a01360e806fad29c67d96eeaabcf2510f", "tunet-reb2-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-reb2-seb/brats18/fold-0/train_state.json": "c684f70c15f6fc9e877c4328af68bf5286523f8302bbd7c2080cf7d4496627fe", "tunet-reb2-seb/brats18/fold-0/train_state.keras": "7d3fe06c2afdac848605714d4e1d4ce2e0d61c74f6527ea9577b4f4aace18ff4"}, "options": {}, "package": "tumorbench 0.1.0"}, "tunet-seb": {"checkpoints": {"tunet-seb/brats18/fold-0/checkpoint.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201", "tunet-seb/brats18/fold-0/config.json": "88a849134f719446e8220a500c32fa6296581ac71ceb2b1ae613b83c2b517e4f", "tunet-seb/brats18/fold-0/split.json": "d9738d4e617067a321675baec77f3e3c898ecb85251b977461f4b95849fb2eb9", "tunet-seb/brats18/fold-0/train_state.json": "f5eba52d586d8396b13da45a8893daca7c957953f3c0b3d332bd20d2f7e8e71a", "tunet-seb/brats18/fold-0/train_state.keras": "f4a2596a454a43d8b1fdd6f7049ccc2b5a4228cba5a652632b3f3cc9e2b21201"}, "options": {}, "package": "tumorbench 0.1.0"}}, "method": "mean", "model": "tunet-ensemble", "postprocess": {"tunet-postprocess": "tumorbench 0.1.0"}}','7e8a6c83c7aae75e257f3cbfb0cbdc13c0ed7ef648819b613bab611174b30aad',1.05522704672999680043e+02,6);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    provenance TEXT NOT NULL,
    planned INTEGER,
    done INTEGER,
    interrupted INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "runs" VALUES(1,1.79647702598088049893e+09,1.79647703026016020773e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml --publish leaderboard/vu2019-table3", "data_roots": {"brats18": "/work/shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"intensity-baseline": "intensity-baseline"}, "models": ["intensity-baseline"], "notes": [], "platform": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/intensity-baseline": "tumorbench 0.1.0"}, "postprocess": [], "prediction_conventions": {}, "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "training": {"intensity-baseline": {"brats18": {"intensity-baseline": {"folder": false, "folds": [], "trainable": false}}}}, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(2,1.79647703027186417582e+09,1.79647708828812026978e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml --publish leaderboard/vu2019-table3", "data_roots": {"brats18": "/work/shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-seb": "tunet-seb"}, "models": ["tunet-seb"], "notes": [], "platform": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-seb": "tumorbench 0.1.0"}, "postprocess": [], "prediction_conventions": {}, "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "training": {"tunet-seb": {"brats18": {"tunet-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 368.0}], "trainable": true}}}}, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(3,1.79647708830611038208e+09,1.79647718343003892898e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml --publish leaderboard/vu2019-table3", "data_roots": {"brats18": "/work/shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-reb1-seb": "tunet-reb1-seb"}, "models": ["tunet-reb1-seb"], "notes": [], "platform": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb1-seb": "tumorbench 0.1.0"}, "postprocess": [], "prediction_conventions": {}, "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "training": {"tunet-reb1-seb": {"brats18": {"tunet-reb1-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 794.9}], "trainable": true}}}}, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(4,1.79647718344633531574e+09,1.79647727122862339022e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml --publish leaderboard/vu2019-table3", "data_roots": {"brats18": "/work/shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-reb2-seb": "tunet-reb2-seb"}, "models": ["tunet-reb2-seb"], "notes": [], "platform": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb2-seb": "tumorbench 0.1.0"}, "postprocess": [], "prediction_conventions": {}, "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "training": {"tunet-reb2-seb": {"brats18": {"tunet-reb2-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 390.3}], "trainable": true}}}}, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(5,1.79647727124689173699e+09,1.796477523637390852e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml --publish leaderboard/vu2019-table3", "data_roots": {"brats18": "/work/shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-ensemble": "tunet-ensemble"}, "models": ["tunet-ensemble"], "notes": [], "platform": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "ensemble/tunet-ensemble": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb1-seb": "tumorbench 0.1.0", "model/tunet-reb2-seb": "tumorbench 0.1.0", "model/tunet-seb": "tumorbench 0.1.0"}, "postprocess": [], "prediction_conventions": {}, "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "training": {"tunet-ensemble": {"brats18": {"tunet-reb1-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 794.9}], "trainable": true}, "tunet-reb2-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 390.3}], "trainable": true}, "tunet-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 368.0}], "trainable": true}}}}, "tumorbench_version": "0.1.0"}',2,2,0);
INSERT INTO "runs" VALUES(6,1.79647752365334510801e+09,1.79647774199017953877e+09,'{"allow_training_cases": false, "case_lists": {"brats18": {"n": 2, "sha256": "d679be94798d8c3eb75420c84d3c826410b2369560a5d54fad127dcf79b537af"}}, "command": "bench run -c experiments/vu2019-table3.toml --publish leaderboard/vu2019-table3", "data_roots": {"brats18": "/work/shared/data/MICCAI_BraTS_2018_Data_Training"}, "dataset_params": {}, "dataset_plugins": {"brats18": "brats18"}, "datasets": ["brats18"], "device": "auto", "distance_units": "mm", "fold": null, "label_convention_override": null, "label_conventions": {"brats18": "brats-2017"}, "machine": {"cores": 2, "cpu": "AMD EPYC", "gpus": [], "os": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"}, "metric_conventions": ["brats-legacy", "qu-brats"], "model_params": {}, "model_refs": {"tunet-ensemble+tunet-postprocess": "tunet-ensemble"}, "models": ["tunet-ensemble"], "notes": [], "platform": "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36", "plugins": {"dataset/brats18": "tumorbench 0.1.0", "ensemble/tunet-ensemble": "tumorbench 0.1.0", "metric/brats-legacy": "tumorbench 0.1.0", "metric/qu-brats": "tumorbench 0.1.0", "model/tunet-reb1-seb": "tumorbench 0.1.0", "model/tunet-reb2-seb": "tumorbench 0.1.0", "model/tunet-seb": "tumorbench 0.1.0", "postprocessor/tunet-postprocess": "tumorbench 0.1.0"}, "postprocess": ["tunet-postprocess"], "prediction_conventions": {}, "python": "3.11.7", "seed": 0, "store": "bench-runs/vu2019-table2/models", "trained_on": null, "training": {"tunet-ensemble": {"brats18": {"tunet-reb1-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 794.9}], "trainable": true}, "tunet-reb2-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 390.3}], "trainable": true}, "tunet-seb": {"folder": false, "folds": [{"calls": 1, "epochs": 3, "fold": 0, "folds": 6, "held_out": 2, "params": {"batch": "1", "depth": "3", "patch": "48,48,40", "steps": "10", "width": "4"}, "protocol": "inside", "recorded": true, "steps": 30, "time_budget": null, "trained": 8, "validation": 2, "wall_seconds": 368.0}], "trainable": true}}}}, "tumorbench_version": "0.1.0"}',2,2,0);
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
INSERT INTO "scores" VALUES(1,'brats-legacy','mm','ok','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.56861407900214544497e+00,1);
INSERT INTO "scores" VALUES(1,'qu-brats','mm','ok','b0c05fb099c4fd4a8bc5df6d2d3870b7bcb5ebb65c2c6da4206facfbbf1e4b3f','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',2.56861407900214544497e+00,1);
INSERT INTO "scores" VALUES(2,'brats-legacy','mm','ok','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.70539724599802866578e+00,1);
INSERT INTO "scores" VALUES(2,'qu-brats','mm','ok','468413aef86db9b81508ea174e46c787f88537e7ce56b33e403a67c5f24268d2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.70539724599802866578e+00,1);
INSERT INTO "scores" VALUES(3,'brats-legacy','mm','ok','2f3cb49483e512874c21b5263dbb4cad4953a7b1efaaf33772adf8c349407125','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',3.3842299343999911799e+01,2);
INSERT INTO "scores" VALUES(3,'qu-brats','mm','ok','2f3cb49483e512874c21b5263dbb4cad4953a7b1efaaf33772adf8c349407125','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',3.3842299343999911799e+01,2);
INSERT INTO "scores" VALUES(4,'brats-legacy','mm','ok','ddbb65e6f580c8068ea25a78500b9222db66462efaea3e3429c081d38b2ebab2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',2.41622150540024449583e+01,2);
INSERT INTO "scores" VALUES(4,'qu-brats','mm','ok','ddbb65e6f580c8068ea25a78500b9222db66462efaea3e3429c081d38b2ebab2','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',2.41622150540024449583e+01,2);
INSERT INTO "scores" VALUES(5,'brats-legacy','mm','ok','a791fcc367e9af077c7613e31075aee39b3eb8428b5074fb14738ac97f72c485','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',5.07494716360015445371e+01,3);
INSERT INTO "scores" VALUES(5,'qu-brats','mm','ok','a791fcc367e9af077c7613e31075aee39b3eb8428b5074fb14738ac97f72c485','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',5.07494716360015445371e+01,3);
INSERT INTO "scores" VALUES(6,'brats-legacy','mm','ok','dc2cefe43cce89db0a051e647c104f98cf5ee7ec265ea7df65e99e0f20e01854','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.43633867680000548716e+01,3);
INSERT INTO "scores" VALUES(6,'qu-brats','mm','ok','dc2cefe43cce89db0a051e647c104f98cf5ee7ec265ea7df65e99e0f20e01854','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.43633867680000548716e+01,3);
INSERT INTO "scores" VALUES(7,'brats-legacy','mm','ok','5f1ace1961bf4253dc5131c9fff9215b9b6bdbaf0960b34d94f705b956b131b1','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',4.60864233620013692433e+01,4);
INSERT INTO "scores" VALUES(7,'qu-brats','mm','ok','5f1ace1961bf4253dc5131c9fff9215b9b6bdbaf0960b34d94f705b956b131b1','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',4.60864233620013692433e+01,4);
INSERT INTO "scores" VALUES(8,'brats-legacy','mm','ok','1f48149f4ca216a73afc16e2698fe890f196e337bd1ea8ac823e1c687802e3ae','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.16849459279983420873e+01,4);
INSERT INTO "scores" VALUES(8,'qu-brats','mm','ok','1f48149f4ca216a73afc16e2698fe890f196e337bd1ea8ac823e1c687802e3ae','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',4.16849459279983420873e+01,4);
INSERT INTO "scores" VALUES(9,'brats-legacy','mm','ok','93589d893a4d0413316e8575c48361cfeecbac29c6d114dd5ec6ac434f62497b','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1.18550404571000399299e+02,5);
INSERT INTO "scores" VALUES(9,'qu-brats','mm','ok','93589d893a4d0413316e8575c48361cfeecbac29c6d114dd5ec6ac434f62497b','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1.18550404571000399299e+02,5);
INSERT INTO "scores" VALUES(10,'brats-legacy','mm','ok','53b47d4c2d5d1b9316cc59b79676d79b1e333839b737ebf3b1d35b8579164554','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.33830486119000852335e+02,5);
INSERT INTO "scores" VALUES(10,'qu-brats','mm','ok','53b47d4c2d5d1b9316cc59b79676d79b1e333839b737ebf3b1d35b8579164554','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.33830486119000852335e+02,5);
INSERT INTO "scores" VALUES(11,'brats-legacy','mm','ok','93589d893a4d0413316e8575c48361cfeecbac29c6d114dd5ec6ac434f62497b','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1.11720020729000680149e+02,6);
INSERT INTO "scores" VALUES(11,'qu-brats','mm','ok','93589d893a4d0413316e8575c48361cfeecbac29c6d114dd5ec6ac434f62497b','4200cc6f1682b47de4837c505d7572d1513f90a12e1214ab6c59420e26f643ce',1.11720020729000680149e+02,6);
INSERT INTO "scores" VALUES(12,'brats-legacy','mm','ok','53b47d4c2d5d1b9316cc59b79676d79b1e333839b737ebf3b1d35b8579164554','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.06606249742002546555e+02,6);
INSERT INTO "scores" VALUES(12,'qu-brats','mm','ok','53b47d4c2d5d1b9316cc59b79676d79b1e333839b737ebf3b1d35b8579164554','4ef77b650966487bedf49eb4bfb1412d8d3ba40cdd2bff0ccb15e1bdfaf89b6d',1.06606249742002546555e+02,6);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('runs',6);
INSERT INTO "sqlite_sequence" VALUES('predictions',12);
PRAGMA user_version = 3;
COMMIT;
