-- Reminders and the weekly digest (R32, issue 11): a durable outbox. Each reminder is
-- written once (its key is unique within the school, so planning again adds nothing),
-- shown in the app's "due for me" list, and, when e-mail is set up, sent at most once:
-- a sender claims a row by moving it from 'pending' to 'sending' in one UPDATE, so two
-- servers on one database never both send it, and a row left 'sending' by a crash is
-- never sent again (an administrator sees it). Failures wait and try again.
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    reminder_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    -- The reminder itself, composed again when it is sent.
    reminder JSONB NOT NULL,
    link TEXT NOT NULL,
    due_on DATE NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error TEXT,
    claimed_by TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    UNIQUE (school_id, reminder_key)
);
CREATE INDEX outbox_pending ON outbox (state, next_attempt_at);
CREATE INDEX outbox_user ON outbox (user_id, created_at);

-- Which reminders a person receives by e-mail (JSON; empty means all).
ALTER TABLE users ADD COLUMN reminders JSONB NOT NULL DEFAULT '{}'::jsonb;

-- The register, the roll and the dashboard join each pupil to their open status period
-- by pupil alone: without this index that join read every period for every pupil
-- (measured: 90 ms for a roll of 1,500 pupils in a database of eleven schools).
CREATE INDEX status_periods_open ON status_periods (pupil_id, end_date);
