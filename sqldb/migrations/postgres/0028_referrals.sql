-- A case referred beyond the bank (调解/仲裁/诉讼): the body, the dates sent
-- and answered, the outcome and any agreement.
CREATE TABLE case_referrals (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL CHECK (kind IN ('mediation', 'arbitration', 'litigation')),
    body         TEXT NOT NULL,
    contact      TEXT NOT NULL DEFAULT '',
    sent_on      TEXT NOT NULL,
    answered_on  TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL CHECK (outcome IN ('pending', 'agreed', 'failed', 'decided', 'withdrawn')),
    agreement    TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX case_referrals_case ON case_referrals (case_id);
CREATE INDEX case_referrals_sent ON case_referrals (sent_on);
