-- Datasets: a head row per name with its newest version number; items as immutable revisions,
-- each made at one dataset version (the items of version V are, per item, the newest revision
-- at or below V, minus those whose revision is DELETED); one row per version with its time, so
-- a Langfuse date-time version maps to a number; runs and their items (links to traces).
-- JSON is stored as text. Timestamps are epoch microseconds.
CREATE TABLE datasets (
  project_id             TEXT NOT NULL,
  id                     TEXT NOT NULL,
  name                   TEXT NOT NULL,
  description            TEXT,
  metadata               TEXT,
  input_schema           TEXT,
  expected_output_schema TEXT,
  latest_version         INTEGER NOT NULL,
  created_us             BIGINT NOT NULL,
  updated_us             BIGINT NOT NULL,
  PRIMARY KEY (project_id, name)
);
CREATE UNIQUE INDEX datasets_id ON datasets (project_id, id);

CREATE TABLE dataset_versions (
  project_id   TEXT NOT NULL,
  dataset_name TEXT NOT NULL,
  version      INTEGER NOT NULL,
  created_us   BIGINT NOT NULL,
  PRIMARY KEY (project_id, dataset_name, version)
);

CREATE TABLE dataset_items (
  project_id     TEXT NOT NULL,
  id             TEXT NOT NULL,
  dataset_name   TEXT NOT NULL,
  ordinal        INTEGER NOT NULL,
  latest_version INTEGER NOT NULL,
  created_us     BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX dataset_items_dataset ON dataset_items (project_id, dataset_name, ordinal);

CREATE TABLE dataset_item_revisions (
  project_id            TEXT NOT NULL,
  item_id               TEXT NOT NULL,
  version               INTEGER NOT NULL,
  status                TEXT NOT NULL,
  input                 TEXT,
  expected_output       TEXT,
  contexts              TEXT NOT NULL,
  metadata              TEXT,
  source_trace_id       TEXT,
  source_observation_id TEXT,
  content_hash          TEXT NOT NULL,
  created_us            BIGINT NOT NULL,
  PRIMARY KEY (project_id, item_id, version)
);
CREATE INDEX dataset_item_revisions_trace ON dataset_item_revisions (project_id, source_trace_id);

CREATE TABLE dataset_runs (
  project_id   TEXT NOT NULL,
  id           TEXT NOT NULL,
  dataset_name TEXT NOT NULL,
  name         TEXT NOT NULL,
  description  TEXT,
  metadata     TEXT,
  created_us   BIGINT NOT NULL,
  updated_us   BIGINT NOT NULL,
  PRIMARY KEY (project_id, dataset_name, name)
);
CREATE UNIQUE INDEX dataset_runs_id ON dataset_runs (project_id, id);

CREATE TABLE dataset_run_items (
  project_id      TEXT NOT NULL,
  id              TEXT NOT NULL,
  run_id          TEXT NOT NULL,
  dataset_item_id TEXT NOT NULL,
  trace_id        TEXT NOT NULL,
  observation_id  TEXT,
  dataset_version INTEGER NOT NULL,
  created_us      BIGINT NOT NULL,
  updated_us      BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX dataset_run_items_run ON dataset_run_items (project_id, run_id, created_us);
