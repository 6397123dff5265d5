-- PostgreSQL keeps dates as DATE, instants as TIMESTAMPTZ and JSON documents as JSONB
-- (until now every one of them was TEXT, as in SQLite). Existing rows convert in place:
-- dates were written as YYYY-MM-DD, instants as RFC 3339 UTC text and documents as
-- JSON, all of which these casts read. Indexes on these columns are rebuilt by
-- ALTER ... TYPE; no constraint involves them.
--
-- Queries reach these columns through the store's dialect module: values are bound as
-- text and cast ($1::date, $2::timestamptz, $3::jsonb), dates and documents are read
-- back as text and instants through iso(), which renders them exactly as senplan wrote
-- them (2026-11-27T16:24:52.123Z). So the audit chain, which hashes `at`, still verifies.
--
-- JSONB keeps documents parsed: the text read back may order keys and space them
-- differently from the text written. Nothing hashes or compares a document's text
-- (the audit chain covers no document, and every document is parsed when read), so
-- every document column becomes JSONB. Left as TEXT on purpose: portal_requests.details
-- and portal_views.views (plain words a family wrote, not JSON).

-- Kept by the store itself (migrate.rs); an instant like the others.
ALTER TABLE schema_migrations
    ALTER COLUMN applied_at TYPE TIMESTAMPTZ USING applied_at::timestamptz;

ALTER TABLE schools
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE pupils
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE status_periods
    ALTER COLUMN start_date TYPE DATE USING start_date::date,
    ALTER COLUMN end_date TYPE DATE USING end_date::date,
    ALTER COLUMN recorded_at TYPE TIMESTAMPTZ USING recorded_at::timestamptz;

ALTER TABLE needs
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE cycles
    ALTER COLUMN opened_on TYPE DATE USING opened_on::date,
    ALTER COLUMN closed_on TYPE DATE USING closed_on::date,
    ALTER COLUMN carried TYPE JSONB USING carried::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE contributions
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN recorded_at TYPE TIMESTAMPTZ USING recorded_at::timestamptz;

ALTER TABLE plans
    ALTER COLUMN review_date TYPE DATE USING review_date::date,
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE reviews
    ALTER COLUMN held_on TYPE DATE USING held_on::date,
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE history
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN changed_at TYPE TIMESTAMPTZ USING changed_at::timestamptz;

ALTER TABLE users
    ALTER COLUMN locked_until TYPE TIMESTAMPTZ USING locked_until::timestamptz,
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at::timestamptz;

ALTER TABLE sessions
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at::timestamptz,
    ALTER COLUMN last_seen_at TYPE TIMESTAMPTZ USING last_seen_at::timestamptz,
    ALTER COLUMN ended_at TYPE TIMESTAMPTZ USING ended_at::timestamptz;

ALTER TABLE password_resets
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE TIMESTAMPTZ USING expires_at::timestamptz,
    ALTER COLUMN used_at TYPE TIMESTAMPTZ USING used_at::timestamptz;

ALTER TABLE relationships
    ALTER COLUMN starts_on TYPE DATE USING starts_on::date,
    ALTER COLUMN expires_on TYPE DATE USING expires_on::date,
    ALTER COLUMN granted_at TYPE TIMESTAMPTZ USING granted_at::timestamptz,
    ALTER COLUMN withdrawn_at TYPE TIMESTAMPTZ USING withdrawn_at::timestamptz;

-- Hashed by the audit chain: read back through iso(), it is the text that was hashed.
ALTER TABLE audit_entries
    ALTER COLUMN at TYPE TIMESTAMPTZ USING at::timestamptz;

ALTER TABLE concerns
    ALTER COLUMN raised_on TYPE DATE USING raised_on::date,
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE portal_requests
    ALTER COLUMN requested_at TYPE TIMESTAMPTZ USING requested_at::timestamptz;

ALTER TABLE portal_views
    ALTER COLUMN given_at TYPE TIMESTAMPTZ USING given_at::timestamptz;

ALTER TABLE costing_settings
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;

ALTER TABLE session_logs
    ALTER COLUMN session_date TYPE DATE USING session_date::date,
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN recorded_at TYPE TIMESTAMPTZ USING recorded_at::timestamptz;

ALTER TABLE impact_measures
    ALTER COLUMN body TYPE JSONB USING body::jsonb,
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING updated_at::timestamptz;
