-- Live view (as migrations/sqlite/0007_watchers.sql).
CREATE TABLE IF NOT EXISTS watchers (
    session_id  TEXT PRIMARY KEY,
    until_ms    BIGINT NOT NULL
);
