-- Analysis behind the 200 (as migrations/sqlite/0008_analysis_queue.sql).
CREATE TABLE IF NOT EXISTS analysis_queue (
    session_id   TEXT NOT NULL,
    sequence     BIGINT NOT NULL,
    enqueued_ms  BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    lease_until  BIGINT NOT NULL DEFAULT 0,
    worker       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, sequence)
);
CREATE INDEX IF NOT EXISTS analysis_queue_by_lease ON analysis_queue (lease_until, enqueued_ms);
ALTER TABLE segments ADD COLUMN IF NOT EXISTS analysed BIGINT NOT NULL DEFAULT 1;
