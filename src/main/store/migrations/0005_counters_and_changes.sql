-- Planter project schema, version 5 (issue #15): counters kept by triggers, so the overview, the
-- queue's progress bar and label counts cost a few rows at 250,000 documents instead of a scan;
-- a change log the queue's ranking cache reads to update an order document by document; and the
-- indexes keyset paging needs. Triggers keep every writer (this process, a second window, the CLI)
-- in step. "Training document" is store/training-docs.ts: split 'train', or finished ('done')
-- outside the evaluation splits 'dev' and 'test'.

-- Documents per (split, status).
CREATE TABLE doc_counts (
  split TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (split, status)
) STRICT, WITHOUT ROWID;
INSERT INTO doc_counts (split, status, n) SELECT split, status, COUNT(*) FROM documents GROUP BY split, status;

CREATE TRIGGER doc_counts_ai AFTER INSERT ON documents BEGIN
  INSERT INTO doc_counts (split, status, n) VALUES (new.split, new.status, 1) ON CONFLICT (split, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER doc_counts_ad AFTER DELETE ON documents BEGIN
  UPDATE doc_counts SET n = n - 1 WHERE split = old.split AND status = old.status;
END;
CREATE TRIGGER doc_counts_au AFTER UPDATE OF split, status ON documents WHEN old.split != new.split OR old.status != new.status BEGIN
  UPDATE doc_counts SET n = n - 1 WHERE split = old.split AND status = old.status;
  INSERT INTO doc_counts (split, status, n) VALUES (new.split, new.status, 1) ON CONFLICT (split, status) DO UPDATE SET n = n + 1;
END;

-- Per label: documents carrying it (present) and training documents carrying it.
CREATE TABLE label_counts (
  label_id INTEGER PRIMARY KEY REFERENCES labels(id) ON DELETE CASCADE,
  used INTEGER NOT NULL DEFAULT 0,
  train INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX label_counts_by_train ON label_counts(train);
INSERT INTO label_counts (label_id, used, train)
  SELECT a.label_id, COUNT(*), SUM(d.split = 'train' OR (d.status = 'done' AND d.split NOT IN ('dev', 'test')))
  FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE a.present = 1 GROUP BY a.label_id;

CREATE TRIGGER label_counts_ai AFTER INSERT ON assignments WHEN new.present = 1 BEGIN
  INSERT INTO label_counts (label_id, used, train)
    VALUES (new.label_id, 1, COALESCE((SELECT d.split = 'train' OR (d.status = 'done' AND d.split NOT IN ('dev', 'test')) FROM documents d WHERE d.id = new.doc_id), 0))
    ON CONFLICT (label_id) DO UPDATE SET used = used + 1, train = train + excluded.train;
END;
CREATE TRIGGER label_counts_ad AFTER DELETE ON assignments WHEN old.present = 1 BEGIN
  UPDATE label_counts SET used = used - 1,
    train = train - COALESCE((SELECT d.split = 'train' OR (d.status = 'done' AND d.split NOT IN ('dev', 'test')) FROM documents d WHERE d.id = old.doc_id), 0)
    WHERE label_id = old.label_id;
END;
CREATE TRIGGER label_counts_au AFTER UPDATE OF present, label_id, doc_id ON assignments
  WHEN old.present != new.present OR old.label_id != new.label_id OR old.doc_id != new.doc_id BEGIN
  UPDATE label_counts SET used = used - old.present,
    train = train - old.present * COALESCE((SELECT d.split = 'train' OR (d.status = 'done' AND d.split NOT IN ('dev', 'test')) FROM documents d WHERE d.id = old.doc_id), 0)
    WHERE label_id = old.label_id;
  INSERT INTO label_counts (label_id, used, train)
    VALUES (new.label_id, new.present, new.present * COALESCE((SELECT d.split = 'train' OR (d.status = 'done' AND d.split NOT IN ('dev', 'test')) FROM documents d WHERE d.id = new.doc_id), 0))
    ON CONFLICT (label_id) DO UPDATE SET used = used + excluded.used, train = train + excluded.train;
END;
-- A document that becomes training data (or stops being it) moves every label it carries.
CREATE TRIGGER label_counts_doc_au AFTER UPDATE OF split, status ON documents
  WHEN (old.split = 'train' OR (old.status = 'done' AND old.split NOT IN ('dev', 'test'))) != (new.split = 'train' OR (new.status = 'done' AND new.split NOT IN ('dev', 'test'))) BEGIN
  UPDATE label_counts SET train = train + CASE WHEN new.split = 'train' OR (new.status = 'done' AND new.split NOT IN ('dev', 'test')) THEN 1 ELSE -1 END
    WHERE label_id IN (SELECT a.label_id FROM assignments a WHERE a.doc_id = new.id AND a.present = 1);
END;

-- Which documents an annotator (or undo/redo) touched, in order. Imports are not logged: they
-- change the corpus version, and the queue rebuilds then. AUTOINCREMENT: a sequence number is
-- never reused after old rows are pruned, so "changed since N" stays exact.
CREATE TABLE doc_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id INTEGER NOT NULL
);
CREATE TRIGGER doc_changes_status AFTER UPDATE OF split, status ON documents WHEN old.split != new.split OR old.status != new.status BEGIN
  INSERT INTO doc_changes (doc_id) VALUES (new.id);
END;
CREATE TRIGGER doc_changes_ai AFTER INSERT ON assignments WHEN new.source != 'imported' BEGIN
  INSERT INTO doc_changes (doc_id) VALUES (new.doc_id);
END;
CREATE TRIGGER doc_changes_au AFTER UPDATE ON assignments BEGIN
  INSERT INTO doc_changes (doc_id) VALUES (new.doc_id);
END;
CREATE TRIGGER doc_changes_ad AFTER DELETE ON assignments BEGIN
  INSERT INTO doc_changes (doc_id) VALUES (old.doc_id);
END;

-- Keyset paging and the queue's scope (split + statuses) read these without touching the rows.
CREATE INDEX documents_by_split_status ON documents(split, status, id);
CREATE INDEX documents_ids ON documents(id);
CREATE INDEX labels_by_kind ON labels(kind, flagged);
