-- What a notice to the customer is about (redress.NoticeOccasion: the
-- acceptance, the n-th extension, the decision of its day …): a lifecycle
-- action produces its notice by the customer's chosen method, and a staff
-- member sending one by hand for the same occasion and method does not send
-- it twice (a failed or given-up one may be sent again). '' is a notice sent
-- before occasions were kept.
ALTER TABLE customer_notices ADD COLUMN occasion TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX customer_notices_occasion ON customer_notices (case_id, kind, occasion, method)
    WHERE occasion <> '' AND status NOT IN ('failed', 'dead');

-- The portal's rate limits, shared by every server on the database and
-- kept across restarts: one row per limit, key and fixed window (its end,
-- Unix seconds) with the hits counted in it. A key is a digest, never an
-- address or a phone number. Rows whose window has ended are deleted.
CREATE TABLE rate_windows (
    bucket     TEXT NOT NULL,
    window_end BIGINT NOT NULL,
    hits       INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_end)
);
CREATE INDEX rate_windows_end ON rate_windows (window_end);
