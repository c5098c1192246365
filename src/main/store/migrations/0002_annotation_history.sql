-- Planter project schema, version 2: linear undo/redo over the annotation event log.
-- An undone event stays redoable until a new action is recorded after it; then it is superseded
-- (kept for the audit trail, never redone). Undo takes the newest live event, redo the oldest
-- undone, not superseded one: the same history an editor keeps, and it survives a restart.
ALTER TABLE annotation_events ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1));
CREATE INDEX annotation_events_by_state ON annotation_events(undone, superseded, id);
-- "Recently used labels" walks the log newest first.
CREATE INDEX annotation_events_by_label ON annotation_events(label_id, id);
