-- The Local Offer directory (R18): the services a school refers to, typed in or
-- imported from an Open Referral UK feed. The service is a JSON document; its name is
-- kept beside it to list in order; a service from a feed keeps the feed and its id
-- there, so a re-import updates it instead of adding it twice. Versioned, every version
-- kept in history; a service is withdrawn (kept, hidden from searches), never deleted.
CREATE TABLE local_offer_services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    feed TEXT,
    feed_id TEXT,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (school_id, feed, feed_id)
);
CREATE INDEX local_offer_services_school ON local_offer_services (school_id, name);
