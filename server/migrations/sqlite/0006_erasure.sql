-- Retention and erasure. Sessions keep when their last segment arrived (retention counts from
-- there, not from the device's clock); sessions indexed before get a full period from now.
-- An erased session leaves a tombstone (its id, its app, when and why: nothing it recorded), so
-- that a late upload of one of its segments is refused instead of bringing it back.
ALTER TABLE sessions ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET received_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
CREATE INDEX IF NOT EXISTS sessions_by_received ON sessions (app, received_ms);
CREATE TABLE IF NOT EXISTS erased (
    session_id  TEXT PRIMARY KEY,
    app         TEXT NOT NULL,
    erased_ms   INTEGER NOT NULL,
    reason      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS erased_by_time ON erased (erased_ms);
