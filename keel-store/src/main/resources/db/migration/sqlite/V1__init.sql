-- Timestamps are epoch microseconds; money is integer pico-dollars (1e-12 USD).
CREATE TABLE projects (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_us BIGINT NOT NULL
);
INSERT INTO projects (id, name, created_us) VALUES ('default', 'default', 0);

CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  project_id TEXT,
  lookup     TEXT NOT NULL,
  salt       TEXT NOT NULL,
  hash       TEXT NOT NULL,
  public_key TEXT,
  name       TEXT,
  created_us BIGINT NOT NULL,
  expires_us BIGINT,
  revoked_us BIGINT,
  metadata   TEXT
);
CREATE INDEX api_keys_lookup ON api_keys (lookup);
CREATE INDEX api_keys_public_key ON api_keys (public_key);

CREATE TABLE traces (
  project_id       TEXT NOT NULL,
  id               TEXT NOT NULL,
  name             TEXT,
  timestamp_us     BIGINT NOT NULL,
  user_id          TEXT,
  session_id       TEXT,
  input            TEXT,
  output           TEXT,
  metadata         TEXT,
  tags             TEXT NOT NULL DEFAULT '[]',
  release          TEXT,
  version          TEXT,
  environment      TEXT NOT NULL,
  is_public        BOOLEAN NOT NULL DEFAULT FALSE,
  created_us       BIGINT NOT NULL,
  updated_us       BIGINT NOT NULL,
  total_cost_pico  BIGINT NOT NULL DEFAULT 0,
  unknown_costs    INTEGER NOT NULL DEFAULT 0,
  min_start_us     BIGINT,
  max_end_us       BIGINT,
  obs_count        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX traces_list ON traces (project_id, timestamp_us DESC, id DESC);
CREATE INDEX traces_user ON traces (project_id, user_id, timestamp_us DESC);
CREATE INDEX traces_session ON traces (project_id, session_id, timestamp_us DESC);
CREATE INDEX traces_name ON traces (project_id, name, timestamp_us DESC);

CREATE TABLE observations (
  project_id        TEXT NOT NULL,
  id                TEXT NOT NULL,
  trace_id          TEXT NOT NULL,
  parent_id         TEXT,
  type              TEXT NOT NULL,
  name              TEXT,
  start_us          BIGINT NOT NULL,
  end_us            BIGINT,
  completion_us     BIGINT,
  model             TEXT,
  model_parameters  TEXT,
  input             TEXT,
  output            TEXT,
  metadata          TEXT,
  level             TEXT NOT NULL,
  status_message    TEXT,
  usage_details     TEXT,
  usage_estimated   BOOLEAN NOT NULL DEFAULT FALSE,
  cost_details      TEXT,
  input_tokens      BIGINT NOT NULL DEFAULT 0,
  output_tokens     BIGINT NOT NULL DEFAULT 0,
  total_tokens      BIGINT NOT NULL DEFAULT 0,
  total_cost_pico   BIGINT,
  prompt_name       TEXT,
  prompt_version    INTEGER,
  environment       TEXT NOT NULL,
  created_us        BIGINT NOT NULL,
  updated_us        BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX observations_trace ON observations (project_id, trace_id, start_us);
CREATE INDEX observations_list ON observations (project_id, start_us DESC, id DESC);
CREATE INDEX observations_name ON observations (project_id, name, start_us DESC);
