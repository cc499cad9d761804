-- Analysis behind the 200: ingest stores and indexes a segment and queues its id here in the
-- same transaction; any collector's worker claims queued segments for a lease, analyses them and,
-- in one transaction, deletes its claim and writes the findings. A lease that runs out (the
-- worker died) lets another claim the segment again. `segments.analysed` counts the analyses
-- that were written (one per segment).
CREATE TABLE IF NOT EXISTS analysis_queue (
    session_id   TEXT NOT NULL,
    sequence     INTEGER NOT NULL,
    enqueued_ms  INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_until  INTEGER NOT NULL DEFAULT 0,
    worker       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, sequence)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS analysis_queue_by_lease ON analysis_queue (lease_until, enqueued_ms);
ALTER TABLE segments ADD COLUMN analysed INTEGER NOT NULL DEFAULT 1;
