-- Sign-in codes, sessions, rate limits; the sync API's stored results and conflicts; who may see
-- what (project teams and reviewer assignments). Times are Unix seconds where the Worker
-- compares them, RFC 3339 text where people read them.

-- One live code per address; a new request replaces it. Only a keyed hash is stored.
CREATE TABLE sign_in_codes (
  email       TEXT PRIMARY KEY COLLATE NOCASE,
  code_hash   TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  wrong_tries INTEGER NOT NULL DEFAULT 0,
  used        INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);

-- Fixed-window counters, e.g. 'code:email:a@b.org' or 'code:ip:203.0.113.9'.
CREATE TABLE rate_limits (
  bucket       TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  hits         INTEGER NOT NULL
);

-- Sessions: only the SHA-256 of the token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  expires_at INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- The stored answer to every op, so a replay gets the same bytes back.
CREATE TABLE applied_ops (
  op_id     TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id   TEXT NOT NULL REFERENCES users (id),
  result    TEXT NOT NULL,
  at        TEXT NOT NULL
);

-- Two values of one field, kept until someone resolves them.
CREATE TABLE conflicts (
  id           TEXT PRIMARY KEY,
  record_id    TEXT NOT NULL REFERENCES records (id),
  kind         TEXT NOT NULL,
  scope        TEXT NOT NULL,
  field        TEXT NOT NULL,
  server_value TEXT NOT NULL,
  client_value TEXT NOT NULL,
  base_rev     INTEGER NOT NULL,
  -- The record's revision once the conflict was found: an edit based on it or later resolves it.
  rev_at       INTEGER NOT NULL,
  author       TEXT REFERENCES users (id),
  op_id        TEXT NOT NULL,
  at           TEXT NOT NULL,
  resolved     INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX conflicts_by_scope ON conflicts (scope, resolved);
CREATE INDEX conflicts_by_record ON conflicts (record_id, field);

-- The people in each project's team.
CREATE TABLE project_members (
  project_id TEXT NOT NULL,
  user_id    TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_by_user ON project_members (user_id);

-- Reviewers assigned to applications, and whether they declared a conflict of interest.
CREATE TABLE review_assignments (
  application_id TEXT NOT NULL,
  reviewer_id    TEXT NOT NULL REFERENCES users (id),
  conflicted     INTEGER NOT NULL DEFAULT 0 CHECK (conflicted IN (0, 1)),
  PRIMARY KEY (application_id, reviewer_id)
);
CREATE INDEX review_assignments_by_reviewer ON review_assignments (reviewer_id);

-- Who created a record (an application's applicant, a review's reviewer) is what access and the
-- audit trail key on most often.
CREATE INDEX records_by_creator ON records (created_by, kind);

-- A push writes a record, its change-log row, its stored result and any conflicts in one D1
-- batch (one transaction). The batch inserts into this table only when the record's revision
-- guard matched no row, and the CHECK then aborts the whole batch: nothing is half-written.
CREATE TABLE write_guard (
  ok INTEGER NOT NULL CHECK (ok = 1)
);
