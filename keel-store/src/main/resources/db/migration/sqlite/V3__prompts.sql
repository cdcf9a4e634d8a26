-- Prompts: one head row per name (its type, newest version number and tags), immutable
-- versions, the labels' current versions and every label move (for rollback).
-- Timestamps are epoch microseconds.
CREATE TABLE prompt_heads (
  project_id     TEXT NOT NULL,
  name           TEXT NOT NULL,
  type           TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  tags           TEXT NOT NULL DEFAULT '[]',
  created_us     BIGINT NOT NULL,
  updated_us     BIGINT NOT NULL,
  PRIMARY KEY (project_id, name)
);
CREATE INDEX prompt_heads_updated ON prompt_heads (project_id, updated_us DESC);

CREATE TABLE prompt_versions (
  project_id     TEXT NOT NULL,
  name           TEXT NOT NULL,
  version        INTEGER NOT NULL,
  type           TEXT NOT NULL,
  body           TEXT NOT NULL,
  config         TEXT NOT NULL,
  commit_message TEXT,
  author         TEXT,
  content_hash   TEXT NOT NULL,
  created_us     BIGINT NOT NULL,
  PRIMARY KEY (project_id, name, version)
);

CREATE TABLE prompt_labels (
  project_id TEXT NOT NULL,
  name       TEXT NOT NULL,
  label      TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_us BIGINT NOT NULL,
  PRIMARY KEY (project_id, name, label)
);
CREATE INDEX prompt_labels_version ON prompt_labels (project_id, name, version);

CREATE TABLE prompt_label_history (
  project_id TEXT NOT NULL,
  name       TEXT NOT NULL,
  label      TEXT NOT NULL,
  version    INTEGER NOT NULL,
  at_us      BIGINT NOT NULL
);
CREATE INDEX prompt_label_history_label ON prompt_label_history (project_id, name, label, version);
