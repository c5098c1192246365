-- Planter project schema, version 1. Never edit once shipped: add a new migration instead.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('corpus', 'catalogue')),
  format TEXT NOT NULL,
  file_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  documents INTEGER NOT NULL DEFAULT 0,
  assignments INTEGER NOT NULL DEFAULT 0,
  labels INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL,
  split TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'review')),
  import_id INTEGER REFERENCES imports(id),
  updated_at TEXT
) STRICT;
CREATE INDEX documents_by_split ON documents(split, id);
CREATE INDEX documents_by_status ON documents(status, id);

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  synonyms TEXT NOT NULL DEFAULT '[]',
  -- The hierarchy is kept by code so a child may arrive before its parent.
  parent_code TEXT,
  kind TEXT NOT NULL DEFAULT 'code' CHECK (kind IN ('code', 'category')),
  catalogue TEXT,
  flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
  -- "e119", "E11.9" and "E119" all find E11.9: codes are matched without dots, upper-cased.
  code_key TEXT GENERATED ALWAYS AS (upper(replace(code, '.', ''))) VIRTUAL
) STRICT;
CREATE INDEX labels_by_parent ON labels(parent_code);
CREATE INDEX labels_by_code_key ON labels(code_key);

-- present = 0 records an explicit rejection (negative feedback), distinct from "never looked at".
CREATE TABLE assignments (
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  present INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('imported', 'annotator', 'suggestion')),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (doc_id, label_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX assignments_by_label ON assignments(label_id, doc_id);

-- The audit log and the source of undo/redo (also across restarts).
CREATE TABLE annotation_events (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  label_id INTEGER REFERENCES labels(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  before_state TEXT,
  after_state TEXT,
  created_at TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
) STRICT;
CREATE INDEX annotation_events_by_doc ON annotation_events(doc_id, id);

CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  path TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  metrics TEXT,
  parent_id INTEGER REFERENCES models(id),
  vocab_fingerprint TEXT
) STRICT;

CREATE TABLE training_runs (
  id INTEGER PRIMARY KEY,
  mode TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  started_at TEXT NOT NULL,
  finished_at TEXT,
  outcome TEXT NOT NULL DEFAULT 'running',
  model_id INTEGER REFERENCES models(id),
  checkpoint TEXT,
  metrics TEXT,
  stage_timings TEXT,
  error TEXT
) STRICT;

-- Full-text indexes kept in step with their tables by triggers (external-content FTS5).
CREATE VIRTUAL TABLE labels_fts USING fts5(
  code, title, synonyms,
  content = 'labels', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2 tokenchars ''.''', prefix = '1 2 3'
);
CREATE TRIGGER labels_ai AFTER INSERT ON labels BEGIN
  INSERT INTO labels_fts(rowid, code, title, synonyms) VALUES (new.id, new.code, new.title, new.synonyms);
END;
CREATE TRIGGER labels_ad AFTER DELETE ON labels BEGIN
  INSERT INTO labels_fts(labels_fts, rowid, code, title, synonyms) VALUES ('delete', old.id, old.code, old.title, old.synonyms);
END;
CREATE TRIGGER labels_au AFTER UPDATE OF code, title, synonyms ON labels BEGIN
  INSERT INTO labels_fts(labels_fts, rowid, code, title, synonyms) VALUES ('delete', old.id, old.code, old.title, old.synonyms);
  INSERT INTO labels_fts(rowid, code, title, synonyms) VALUES (new.id, new.code, new.title, new.synonyms);
END;

CREATE VIRTUAL TABLE documents_fts USING fts5(
  text, content = 'documents', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF text ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
END;
