-- Models remember how they were made (full PLANT run or the few-shot loop) and a JSON summary
-- (label and vocabulary sizes, training documents, stage timings, curves) for the run history.
ALTER TABLE models ADD COLUMN mode TEXT NOT NULL DEFAULT 'full';
ALTER TABLE models ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';
ALTER TABLE training_runs ADD COLUMN curve TEXT NOT NULL DEFAULT '[]';
