-- People, the synced records and the change log.
-- Records keep their fields as JSON (`data`) with per-field revisions (`field_revs`), so the sync
-- merge works on any record kind; the columns that SQL filters on (kind, scope) are real columns
-- with indexes.

CREATE TABLE users (
  id           TEXT PRIMARY KEY,
  email        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role         TEXT NOT NULL
               CHECK (role IN ('applicant', 'reviewer', 'participant', 'programme_team')),
  created_at   TEXT NOT NULL
);

CREATE TABLE records (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  -- The cohort, application or project the record belongs to: what access is decided on.
  scope      TEXT NOT NULL,
  rev        INTEGER NOT NULL CHECK (rev > 0),
  field_revs TEXT NOT NULL,
  data       TEXT NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_by TEXT REFERENCES users (id),
  updated_at TEXT NOT NULL
);
CREATE INDEX records_by_scope ON records (scope, kind);
CREATE INDEX records_by_kind ON records (kind, scope);

-- Every accepted change, in order: the pull cursor and the audit trail in one table.
CREATE TABLE change_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL REFERENCES records (id),
  kind      TEXT NOT NULL,
  scope     TEXT NOT NULL,
  rev       INTEGER NOT NULL,
  actor     TEXT REFERENCES users (id),
  op_id     TEXT,
  client_id TEXT,
  at        TEXT NOT NULL
);
CREATE INDEX change_log_by_scope ON change_log (scope, seq);
CREATE INDEX change_log_by_record ON change_log (record_id, seq);
