-- Web UI sign-in sessions, kept in the store so a restart or a second instance keeps them.
-- Only a SHA-256 of the session token is stored; the CSRF token is derived from the token, so
-- neither can be read back from the table. username is null for the master key.
CREATE TABLE ui_sessions (
  token_hash   TEXT PRIMARY KEY,
  username     TEXT,
  who          TEXT NOT NULL,
  role         TEXT NOT NULL,
  created_us   BIGINT NOT NULL,
  expires_us   BIGINT NOT NULL
);
CREATE INDEX ui_sessions_expiry ON ui_sessions (expires_us);
CREATE INDEX ui_sessions_user ON ui_sessions (username);

-- Settings changed at run time (retention.days), which win over keel.yaml once set.
CREATE TABLE settings (
  name         TEXT PRIMARY KEY,
  value        TEXT NOT NULL,
  updated_us   BIGINT NOT NULL,
  updated_by   TEXT
);

-- Model prices added or overridden at run time, in USD per 1M tokens as exact decimal text;
-- a null rate keeps the price table's.
CREATE TABLE price_overrides (
  model                    TEXT PRIMARY KEY,
  provider                 TEXT NOT NULL,
  input_per_million        TEXT,
  output_per_million       TEXT,
  cache_read_per_million   TEXT,
  cache_write_per_million  TEXT,
  updated_us               BIGINT NOT NULL,
  updated_by               TEXT
);

-- Trace list filters: a model or level on any observation (probed per trace, the trace id
-- last so the probe is one index seek), the total cost and the latency.
CREATE INDEX observations_model ON observations (project_id, model, trace_id)
  WHERE model IS NOT NULL;
CREATE INDEX observations_level ON observations (project_id, level, trace_id);
CREATE INDEX traces_cost ON traces (project_id, total_cost_pico);
CREATE INDEX traces_latency ON traces (project_id, (max_end_us - min_start_us));
