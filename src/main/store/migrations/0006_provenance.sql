-- Planter project schema, version 6 (issue #17): provenance and bulk actions.
-- Every assignment says who set it (the annotator name of the app install that wrote it; NULL for
-- imports and rows older than this migration), when (`updated_at`, as before) and how: 'imported',
-- 'added' (through the picker), 'accepted' (a model suggestion, with its score when the UI knew
-- it) or 'rejected'. Rows written before this migration get the `how` their `source` and
-- `present` imply; their `who` stays NULL, because nobody recorded it.
ALTER TABLE assignments ADD COLUMN who TEXT;
ALTER TABLE assignments ADD COLUMN how TEXT NOT NULL DEFAULT 'imported' CHECK (how IN ('imported', 'added', 'accepted', 'rejected'));
ALTER TABLE assignments ADD COLUMN score REAL;
UPDATE assignments SET how = CASE WHEN present = 0 THEN 'rejected' WHEN source = 'suggestion' THEN 'accepted' ELSE 'added' END
  WHERE source != 'imported';

-- The event log keeps the same facts per decision (the per-annotator panel reads it), and a
-- batch id: the events of one bulk action share it, and undo/redo take the whole batch at once.
-- `score` on an 'accept' or 'reject' event is the suggestion's score: a non-NULL score on a
-- 'reject' is what marks a rejected *suggestion* (the acceptance rate's denominator).
ALTER TABLE annotation_events ADD COLUMN who TEXT;
ALTER TABLE annotation_events ADD COLUMN score REAL;
ALTER TABLE annotation_events ADD COLUMN batch_id INTEGER;
CREATE INDEX annotation_events_by_batch ON annotation_events(batch_id, id) WHERE batch_id IS NOT NULL;
CREATE INDEX annotation_events_by_who ON annotation_events(who, id);
