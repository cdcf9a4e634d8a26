-- Observations first written by an update event (before their create) are provisional: the
-- create that arrives later supplies the immutable fields (start, trace, type).
ALTER TABLE observations ADD COLUMN provisional BOOLEAN NOT NULL DEFAULT FALSE;

-- Retention deletes by age across projects.
CREATE INDEX traces_age ON traces (timestamp_us);
CREATE INDEX observations_age ON observations (start_us);

CREATE TABLE scores (
  project_id      TEXT NOT NULL,
  id              TEXT NOT NULL,
  trace_id        TEXT,
  observation_id  TEXT,
  session_id      TEXT,
  dataset_run_id  TEXT,
  name            TEXT NOT NULL,
  value           DOUBLE PRECISION,
  string_value    TEXT,
  data_type       TEXT NOT NULL,
  source          TEXT NOT NULL,
  comment         TEXT,
  metadata        TEXT,
  config_id       TEXT,
  queue_id        TEXT,
  environment     TEXT NOT NULL,
  timestamp_us    BIGINT NOT NULL,
  created_us      BIGINT NOT NULL,
  updated_us      BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX scores_list ON scores (project_id, timestamp_us DESC, id DESC);
CREATE INDEX scores_trace ON scores (project_id, trace_id);
CREATE INDEX scores_session ON scores (project_id, session_id);
CREATE INDEX scores_age ON scores (timestamp_us);

CREATE TABLE score_configs (
  project_id   TEXT NOT NULL,
  id           TEXT NOT NULL,
  name         TEXT NOT NULL,
  data_type    TEXT NOT NULL,
  min_value    DOUBLE PRECISION,
  max_value    DOUBLE PRECISION,
  categories   TEXT,
  description  TEXT,
  is_archived  BOOLEAN NOT NULL DEFAULT FALSE,
  created_us   BIGINT NOT NULL,
  updated_us   BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX score_configs_list ON score_configs (project_id, created_us DESC, id DESC);
