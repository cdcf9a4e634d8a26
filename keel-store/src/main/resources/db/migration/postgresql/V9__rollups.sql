-- Hourly rollups for the overview, user and cost pages and cost reports (RollupRefresh).
-- An hour is floor(microseconds / 3600000000), also before 1970 (SQL's / truncates toward 0).
--
-- Triggers mark every hour a write or delete touches as dirty, whatever the path (ingestion,
-- updates arriving late, retention, delete by id); a reader recomputes the dirty hours of its
-- range from the raw rows before it reads the rollups, so rollups always equal raw numbers.
--
-- Marks are appended, not upserted: concurrent writers then never wait on one another's mark
-- of the same hour, and a refresh deletes only the marks it saw, so a mark committed while it
-- recomputed keeps the hour dirty.
CREATE TABLE rollup_dirty (
  id          BIGSERIAL PRIMARY KEY,
  project_id  TEXT NOT NULL,
  hour        BIGINT NOT NULL
);
CREATE INDEX rollup_dirty_hour ON rollup_dirty (project_id, hour);

-- Generations by the hour they started, per model and prompt version; latency is a
-- histogram over fixed log buckets (LatencyHistogram) kept as "bucket:count" pairs.
CREATE TABLE rollup_calls (
  project_id           TEXT NOT NULL,
  hour                 BIGINT NOT NULL,
  model                TEXT,
  prompt_name          TEXT,
  prompt_version       INTEGER,
  generations          BIGINT NOT NULL,
  errors               BIGINT NOT NULL,
  cost_pico            BIGINT NOT NULL,
  unknown_cost         BIGINT NOT NULL,
  input_tokens         BIGINT NOT NULL,
  output_tokens        BIGINT NOT NULL,
  cached_input_tokens  BIGINT NOT NULL,
  cache_hits           BIGINT NOT NULL,
  cache_saving_usd     TEXT NOT NULL,
  routing_saving_usd   TEXT NOT NULL,
  latency              TEXT NOT NULL
);
CREATE INDEX rollup_calls_hour ON rollup_calls (project_id, hour);

-- Generations by the hour they started, per model and the key, user and team of their trace.
CREATE TABLE rollup_spend (
  project_id           TEXT NOT NULL,
  hour                 BIGINT NOT NULL,
  model                TEXT,
  key_id               TEXT,
  user_id              TEXT,
  team                 TEXT,
  generations          BIGINT NOT NULL,
  errors               BIGINT NOT NULL,
  cost_pico            BIGINT NOT NULL,
  unknown_cost         BIGINT NOT NULL,
  input_tokens         BIGINT NOT NULL,
  output_tokens        BIGINT NOT NULL,
  cached_input_tokens  BIGINT NOT NULL,
  cache_hits           BIGINT NOT NULL,
  cache_saving_usd     TEXT NOT NULL,
  routing_saving_usd   TEXT NOT NULL
);
CREATE INDEX rollup_spend_hour ON rollup_spend (project_id, hour);

-- Traces by the hour of their timestamp, as daily metrics count them: a row with a null model
-- holds the traces' own totals, the others the usage of observations naming that model.
-- per_user rows are one user's (user_id set); the others the whole project's (user_id null).
CREATE TABLE rollup_traces (
  project_id      TEXT NOT NULL,
  hour            BIGINT NOT NULL,
  per_user        BOOLEAN NOT NULL,
  user_id         TEXT,
  model           TEXT,
  traces          BIGINT NOT NULL,
  observations    BIGINT NOT NULL,
  input_tokens    BIGINT NOT NULL,
  output_tokens   BIGINT NOT NULL,
  total_tokens    BIGINT NOT NULL,
  cost_pico       BIGINT NOT NULL
);
CREATE INDEX rollup_traces_hour ON rollup_traces (project_id, per_user, hour);
CREATE INDEX rollup_traces_user ON rollup_traces (project_id, user_id, hour);

CREATE FUNCTION rollup_hour(us BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE
  AS 'SELECT (us - ((us % 3600000000) + 3600000000) % 3600000000) / 3600000000';

-- Every hour that already holds data starts dirty.
INSERT INTO rollup_dirty (project_id, hour)
  SELECT DISTINCT project_id, rollup_hour(start_us) FROM observations
  UNION SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM traces;

-- Statement triggers with transition tables: one INSERT per statement, not one per row.
-- An observation counts in the hour it started (calls, spend) and in its trace's hour.
CREATE FUNCTION rollup_mark_new_observations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(start_us) FROM new_rows
    UNION SELECT DISTINCT t.project_id, rollup_hour(t.timestamp_us)
      FROM new_rows o JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_mark_old_observations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(start_us) FROM old_rows
    UNION SELECT DISTINCT t.project_id, rollup_hour(t.timestamp_us)
      FROM old_rows o JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id;
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_observation_insert AFTER INSERT ON observations
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_new_observations();
CREATE TRIGGER rollup_observation_update_new AFTER UPDATE ON observations
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_new_observations();
CREATE TRIGGER rollup_observation_update_old AFTER UPDATE ON observations
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_old_observations();
CREATE TRIGGER rollup_observation_delete AFTER DELETE ON observations
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_old_observations();

-- A trace counts in its own hour; its user and metadata also group its observations' spend,
-- so a trace that arrives after them, changes them or goes marks their hours too.
CREATE FUNCTION rollup_mark_new_traces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM new_rows
    UNION SELECT DISTINCT o.project_id, rollup_hour(o.start_us)
      FROM new_rows t JOIN observations o ON o.project_id = t.project_id AND o.trace_id = t.id;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_mark_changed_traces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM new_rows
    UNION SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM old_rows
    UNION SELECT DISTINCT o.project_id, rollup_hour(o.start_us)
      FROM new_rows n JOIN old_rows b ON b.project_id = n.project_id AND b.id = n.id
      JOIN observations o ON o.project_id = n.project_id AND o.trace_id = n.id
      WHERE n.user_id IS DISTINCT FROM b.user_id OR n.metadata IS DISTINCT FROM b.metadata;
  RETURN NULL;
END $$;

CREATE FUNCTION rollup_mark_old_traces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM old_rows
    UNION SELECT DISTINCT o.project_id, rollup_hour(o.start_us)
      FROM old_rows t JOIN observations o ON o.project_id = t.project_id AND o.trace_id = t.id;
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_trace_insert AFTER INSERT ON traces
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_new_traces();
CREATE TRIGGER rollup_trace_update AFTER UPDATE ON traces
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_changed_traces();
CREATE TRIGGER rollup_trace_delete AFTER DELETE ON traces
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_old_traces();
