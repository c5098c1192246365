-- Planter project schema, version 7 (issue #17): evidence spans, the words of a document that
-- justify one of its labels (CodiEsp-X style). Offsets are UTF-16 code units into documents.text,
-- the way a JavaScript string indexes it (text = substr(documents.text, start + 1, end - start) for
-- text in the Basic Multilingual Plane). A discontinuous evidence ("resección ... vejiga") is stored
-- as one span per piece. Spans are written through the annotation event log (actions span-add,
-- span-update, span-delete), so the annotator's undo/redo covers them.
CREATE TABLE evidence_spans (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  start INTEGER NOT NULL CHECK (start >= 0),
  "end" INTEGER NOT NULL CHECK ("end" > start),
  text TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('imported', 'added')),
  created_at TEXT NOT NULL,
  UNIQUE (doc_id, label_id, start, "end")
) STRICT;
CREATE INDEX evidence_spans_by_label ON evidence_spans(label_id, doc_id);
