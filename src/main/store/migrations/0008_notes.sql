-- Planter project schema, version 8 (issue #17 item 2): a coder's notes, one per document and one
-- per (document, label) pair, searchable like the documents; and the project's guidelines (one
-- Markdown text). `author` stays NULL until annotations carry a provenance (who) field.

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  -- NULL: the note is about the document; otherwise about this label on this document.
  label_id INTEGER REFERENCES labels(id) ON DELETE CASCADE,
  text TEXT NOT NULL CHECK (length(text) > 0),
  updated_at TEXT NOT NULL,
  author TEXT
) STRICT;
-- A UNIQUE (doc_id, label_id) would let any number of document notes in (NULLs are distinct).
CREATE UNIQUE INDEX notes_one_per_document ON notes(doc_id) WHERE label_id IS NULL;
CREATE UNIQUE INDEX notes_one_per_label ON notes(doc_id, label_id) WHERE label_id IS NOT NULL;
CREATE INDEX notes_by_label ON notes(label_id) WHERE label_id IS NOT NULL;

CREATE VIRTUAL TABLE notes_fts USING fts5(
  text, content = 'notes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER notes_au AFTER UPDATE OF text ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text);
END;

-- One row at most: a project has one guidelines text.
CREATE TABLE guidelines (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  text TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  author TEXT
) STRICT;
