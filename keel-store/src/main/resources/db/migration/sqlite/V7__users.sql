-- Web UI accounts: a role each (admin, member, viewer) and a salted PBKDF2 password hash.
CREATE TABLE ui_users (
  username     TEXT PRIMARY KEY,
  role         TEXT NOT NULL,
  password     TEXT NOT NULL,
  created_us   BIGINT NOT NULL
);
