-- Hourly rollups for the overview, user and cost pages and cost reports (RollupRefresh).
-- An hour is floor(microseconds / 3600000000), also before 1970 (SQL's / truncates toward 0).
--
-- Every hour a write or delete touches is marked dirty (by the write path and by the triggers
-- below); a reader recomputes the dirty hours of its range from the raw rows before it reads
-- the rollups, so rollups always equal raw numbers.
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

-- A trace's observations and scores in the order pages show them, straight from the index:
-- without the id (and for scores the time) in the index, SQLite's planner, which has no
-- statistics unless ANALYZE ran, preferred scanning every observation of the project in
-- start order to sorting one trace's few rows (the trace page took 290 ms at 1M rows). Both
-- dialects keep the same indexes.
DROP INDEX observations_trace;
CREATE INDEX observations_trace ON observations (project_id, trace_id, start_us, id);
DROP INDEX scores_trace;
CREATE INDEX scores_trace ON scores (project_id, trace_id, timestamp_us, id);

CREATE FUNCTION rollup_hour(us BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE
  AS 'SELECT (us - ((us % 3600000000) + 3600000000) % 3600000000) / 3600000000';

-- Every hour that already holds data starts dirty.
INSERT INTO rollup_dirty (project_id, hour)
  SELECT DISTINCT project_id, rollup_hour(start_us) FROM observations
  UNION SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM traces;

-- Writes through TraceWrites mark the hours of the traces they touch, one statement per
-- batch (RollupMarks). These triggers cover what that cannot see once a row has changed: the
-- hour a row was in before its start, trace or timestamp moved (rare: row triggers whose WHEN
-- is checked without calling the function), and every delete, whatever the path (retention,
-- delete by id), with one INSERT per statement from its transition table. An observation
-- counts in the hour it started (calls, spend) and in its trace's hour (traces); a trace's
-- user and metadata group its observations.
CREATE FUNCTION rollup_mark_moved_observation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT OLD.project_id, rollup_hour(OLD.start_us)
    UNION SELECT t.project_id, rollup_hour(t.timestamp_us) FROM traces t
      WHERE t.project_id = OLD.project_id AND t.id = OLD.trace_id;
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_observation_moved AFTER UPDATE OF start_us, trace_id ON observations
  FOR EACH ROW WHEN (OLD.start_us IS DISTINCT FROM NEW.start_us
    OR OLD.trace_id IS DISTINCT FROM NEW.trace_id)
  EXECUTE FUNCTION rollup_mark_moved_observation();

CREATE FUNCTION rollup_mark_old_observations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(start_us) FROM old_rows
    UNION SELECT DISTINCT t.project_id, rollup_hour(t.timestamp_us)
      FROM old_rows o JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id;
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_observation_delete AFTER DELETE ON observations
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_old_observations();

CREATE FUNCTION rollup_mark_moved_trace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    VALUES (OLD.project_id, rollup_hour(OLD.timestamp_us));
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_trace_moved AFTER UPDATE OF timestamp_us ON traces
  FOR EACH ROW WHEN (OLD.timestamp_us IS DISTINCT FROM NEW.timestamp_us)
  EXECUTE FUNCTION rollup_mark_moved_trace();

CREATE FUNCTION rollup_mark_old_traces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT project_id, rollup_hour(timestamp_us) FROM old_rows
    UNION SELECT DISTINCT o.project_id, rollup_hour(o.start_us)
      FROM old_rows t JOIN observations o ON o.project_id = t.project_id AND o.trace_id = t.id;
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_trace_delete AFTER DELETE ON traces
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_old_traces();
