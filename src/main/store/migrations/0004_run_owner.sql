-- Which process runs a training, so opening a project from a second window never marks a live
-- training as interrupted (only runs whose process is gone are).
ALTER TABLE training_runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE training_runs ADD COLUMN owner_host TEXT;
