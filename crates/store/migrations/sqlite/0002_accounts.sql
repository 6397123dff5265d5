-- People and access: accounts, sessions, relationships to pupils, the audit trail,
-- and the family portal (concerns, requests, views). Nothing here is deleted either:
-- sessions end, relationships are withdrawn, concerns are answered.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL,
    locked_until TEXT,
    disabled INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE relationships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    kind TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    expires_on TEXT,
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT
);
CREATE INDEX relationships_user ON relationships (user_id, pupil_id);
CREATE INDEX relationships_pupil ON relationships (pupil_id);

-- Append-only; each entry's hash covers the previous entry's hash.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    school_id INTEGER,
    at TEXT NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    pupil_id INTEGER,
    origin TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_pupil ON audit (school_id, pupil_id);

CREATE TABLE concerns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    raised_by TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX concerns_pupil ON concerns (school_id, pupil_id);

CREATE TABLE portal_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    kind TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    details TEXT NOT NULL
);

CREATE TABLE portal_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id),
    cycle_id INTEGER REFERENCES cycles(id),
    given_by TEXT NOT NULL,
    relationship TEXT NOT NULL,
    given_at TEXT NOT NULL,
    views TEXT NOT NULL
);
