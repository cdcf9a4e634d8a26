-- Online evaluation: rules that score a sample of live traces (definition: the rule as JSON),
-- each scorer's outcome per rule and trace (also what keeps a re-delivered trace from being
-- judged twice), and judge spend per rule and UTC day for the daily cost cap.
CREATE TABLE online_eval_rules (
  project_id   TEXT NOT NULL,
  name         TEXT NOT NULL,
  definition   TEXT NOT NULL,
  enabled      BOOLEAN NOT NULL,
  source       TEXT NOT NULL,
  created_us   BIGINT NOT NULL,
  updated_us   BIGINT NOT NULL,
  PRIMARY KEY (project_id, name)
);

CREATE TABLE online_eval_results (
  project_id       TEXT NOT NULL,
  rule             TEXT NOT NULL,
  trace_id         TEXT NOT NULL,
  scorer           TEXT NOT NULL,
  status           TEXT NOT NULL,
  value            DOUBLE PRECISION,
  reason           TEXT,
  score_id         TEXT,
  judge_cost_pico  BIGINT NOT NULL DEFAULT 0,
  created_us       BIGINT NOT NULL,
  PRIMARY KEY (project_id, rule, trace_id, scorer)
);
CREATE INDEX online_eval_results_trace ON online_eval_results (project_id, trace_id);
CREATE INDEX online_eval_results_created ON online_eval_results (project_id, created_us);

CREATE TABLE online_eval_spend (
  project_id   TEXT NOT NULL,
  rule         TEXT NOT NULL,
  day          TEXT NOT NULL,
  spend_pico   BIGINT NOT NULL,
  PRIMARY KEY (project_id, rule, day)
);
