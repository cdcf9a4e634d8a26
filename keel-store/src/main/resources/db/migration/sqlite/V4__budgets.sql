-- Budgets and their spend. A budget applies to a key ('master' for the master key), a key's
-- user or team, or the project; model '' means every model, else one model within the scope.
-- Spend is one row per budget and period, keyed by the period's start, so a new period starts
-- from zero without any reset job touching old rows. Money is integer pico-dollars (1e-12 USD);
-- timestamps are epoch microseconds.
CREATE TABLE budgets (
  id          TEXT PRIMARY KEY,
  project_id  TEXT NOT NULL,
  scope       TEXT NOT NULL,
  subject     TEXT NOT NULL,
  model       TEXT NOT NULL DEFAULT '',
  limit_pico  BIGINT NOT NULL,
  period      TEXT NOT NULL,
  anchor_us   BIGINT NOT NULL,
  soft_limits TEXT,
  created_us  BIGINT NOT NULL,
  updated_us  BIGINT NOT NULL,
  UNIQUE (project_id, scope, subject, model)
);

-- alerted: bit i is set once soft limit i of the budget was alerted in that period.
CREATE TABLE budget_spend (
  budget_id       TEXT NOT NULL,
  period_start_us BIGINT NOT NULL,
  spent_pico      BIGINT NOT NULL DEFAULT 0,
  alerted         INTEGER NOT NULL DEFAULT 0,
  updated_us      BIGINT NOT NULL,
  PRIMARY KEY (budget_id, period_start_us)
);
