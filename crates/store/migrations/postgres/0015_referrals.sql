-- Referrals to services (R18, R35): one versioned row per referral, the referral (its
-- consent, dated steps, advice and recommendations) as JSON, its stage and kind beside
-- it for listing; every version kept in history.
CREATE TABLE referrals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    pupil_id BIGINT NOT NULL REFERENCES pupils(id),
    service_id BIGINT NOT NULL REFERENCES local_offer_services(id),
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    body JSONB NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX referrals_pupil ON referrals (school_id, pupil_id);
