-- Retention and erasure (as migrations/sqlite/0006_erasure.sql).
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS received_ms BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET received_ms = (extract(epoch FROM now()) * 1000)::BIGINT;
CREATE INDEX IF NOT EXISTS sessions_by_received ON sessions (app, received_ms);
CREATE TABLE IF NOT EXISTS erased (
    session_id  TEXT PRIMARY KEY,
    app         TEXT NOT NULL,
    erased_ms   BIGINT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS erased_by_time ON erased (erased_ms);
