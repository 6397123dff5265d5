-- How a family reaches help, shown in the portal: the SENCO's name, email and phone, the
-- Local Offer and the SEND information, advice and support service (JSON, versioned
-- with the school).
ALTER TABLE schools ADD COLUMN contacts TEXT NOT NULL DEFAULT '{}';
