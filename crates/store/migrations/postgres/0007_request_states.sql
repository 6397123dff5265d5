-- A family's request is worked, not just listed (R04, R20): where it stands, every
-- dated step (who, when, a note the family reads) as JSON, and a version so two people
-- working it at once cannot overwrite each other. Existing requests are "received".
ALTER TABLE portal_requests ADD COLUMN state TEXT NOT NULL DEFAULT 'received';
ALTER TABLE portal_requests ADD COLUMN steps JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE portal_requests ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE portal_requests ADD COLUMN updated_at TIMESTAMPTZ;
