-- The Local Offer directory (R18): the services a school refers to, typed in or
-- imported from an Open Referral UK feed. The service is a JSON document; its name is
-- kept beside it to list in order; a service from a feed keeps the feed and its id
-- there, so a re-import updates it instead of adding it twice. Versioned, every version
-- kept in history; a service is withdrawn (kept, hidden from searches), never deleted.
CREATE TABLE local_offer_services (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    name TEXT NOT NULL,
    body JSONB NOT NULL,
    feed TEXT,
    feed_id TEXT,
    withdrawn BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, feed, feed_id)
);
CREATE INDEX local_offer_services_school ON local_offer_services (school_id, name);
