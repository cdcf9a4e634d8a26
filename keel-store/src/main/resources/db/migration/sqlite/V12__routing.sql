-- Health alerts shared by every instance on this store: one row per alert with its state
-- (firing or resolved) and when it last changed. An instance that sees the condition change
-- moves the row with a conditional UPDATE, and only the instance whose UPDATE changed it sends
-- the alert, so a cluster alerts once. Timestamps are epoch microseconds.
CREATE TABLE alert_states (
  name       TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  changed_us BIGINT NOT NULL
);

-- Quality-aware routing reads scores by name over a recent window.
CREATE INDEX scores_name ON scores (name, timestamp_us);
