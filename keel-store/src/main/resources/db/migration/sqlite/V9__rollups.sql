-- Hourly rollups for the overview, user and cost pages and cost reports (RollupRefresh).
-- An hour is floor(microseconds / 3600000000), also before 1970: SQLite's / truncates toward 0,
-- so x / 3600000000 - (x % 3600000000 < 0) (a comparison is 0 or 1).
--
-- Every hour a write or delete touches is marked dirty (by the write path and by the triggers
-- below); a reader recomputes the dirty hours of its range from the raw rows before it reads
-- the rollups, so rollups always equal raw numbers.
--
-- A mark is added only when the hour has none yet. Not a unique key with INSERT OR IGNORE:
-- SQLite applies the conflict policy of the statement that fired a trigger (an upsert's is
-- ABORT) to the statements inside it. Marks are per hour, not per row: one trigger statement
-- per written row cost SQLite ingestion a third to a half of its throughput.
CREATE TABLE rollup_dirty (
  id          INTEGER PRIMARY KEY,
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
-- start order to sorting one trace's few rows (the trace page took 290 ms at 1M rows).
DROP INDEX observations_trace;
CREATE INDEX observations_trace ON observations (project_id, trace_id, start_us, id);
DROP INDEX scores_trace;
CREATE INDEX scores_trace ON scores (project_id, trace_id, timestamp_us, id);

-- Every hour that already holds data starts dirty.
INSERT INTO rollup_dirty (project_id, hour)
  SELECT DISTINCT project_id, start_us / 3600000000 - (start_us % 3600000000 < 0)
  FROM observations
  UNION SELECT DISTINCT project_id, timestamp_us / 3600000000 - (timestamp_us % 3600000000 < 0)
  FROM traces;

-- Writes through TraceWrites mark the hours of the traces they touch, one statement per
-- batch (RollupMarks). These triggers cover what that cannot see once a row has changed: the
-- hour a row was in before its start, trace or timestamp moved, and every delete, whatever
-- the path (retention, delete by id). An observation counts in the hour it started (calls,
-- spend) and in its trace's hour (traces); a trace's user and metadata group its observations.
CREATE TRIGGER rollup_observation_moved AFTER UPDATE OF start_us, trace_id ON observations
  WHEN OLD.start_us IS NOT NEW.start_us OR OLD.trace_id IS NOT NEW.trace_id BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT OLD.project_id, h
    FROM (SELECT OLD.start_us / 3600000000 - (OLD.start_us % 3600000000 < 0) AS h)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT OLD.project_id, h
    FROM (SELECT timestamp_us / 3600000000 - (timestamp_us % 3600000000 < 0) AS h
      FROM traces WHERE project_id = OLD.project_id AND id = OLD.trace_id)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
END;

CREATE TRIGGER rollup_observation_delete AFTER DELETE ON observations BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT OLD.project_id, h
    FROM (SELECT OLD.start_us / 3600000000 - (OLD.start_us % 3600000000 < 0) AS h)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT OLD.project_id, h
    FROM (SELECT timestamp_us / 3600000000 - (timestamp_us % 3600000000 < 0) AS h
      FROM traces WHERE project_id = OLD.project_id AND id = OLD.trace_id)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
END;

CREATE TRIGGER rollup_trace_moved AFTER UPDATE OF timestamp_us ON traces
  WHEN OLD.timestamp_us IS NOT NEW.timestamp_us BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT OLD.project_id, h
    FROM (SELECT OLD.timestamp_us / 3600000000 - (OLD.timestamp_us % 3600000000 < 0) AS h)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
END;

CREATE TRIGGER rollup_trace_delete AFTER DELETE ON traces BEGIN
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT OLD.project_id, h
    FROM (SELECT OLD.timestamp_us / 3600000000 - (OLD.timestamp_us % 3600000000 < 0) AS h)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
  INSERT INTO rollup_dirty (project_id, hour)
    SELECT DISTINCT OLD.project_id, h
    FROM (SELECT start_us / 3600000000 - (start_us % 3600000000 < 0) AS h
      FROM observations WHERE project_id = OLD.project_id AND trace_id = OLD.id)
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
      WHERE d.project_id = OLD.project_id AND d.hour = h);
END;
