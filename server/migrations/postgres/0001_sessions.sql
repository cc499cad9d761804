-- Sessions and the segments counted into them (as migrations/sqlite/0001_sessions.sql, with
-- PostgreSQL's types: every integer is BIGINT, so one binding fits every column).
CREATE TABLE IF NOT EXISTS sessions (
    session_id          TEXT PRIMARY KEY,
    app                 TEXT NOT NULL,
    app_id              TEXT NOT NULL,
    platform            TEXT NOT NULL,
    os_name             TEXT NOT NULL,
    os_version          TEXT NOT NULL,
    device_manufacturer TEXT NOT NULL,
    device_model        TEXT NOT NULL,
    app_version         TEXT NOT NULL,
    app_build           TEXT NOT NULL,
    sdk_version         TEXT NOT NULL,
    user_id             TEXT,
    started_ms          BIGINT NOT NULL,
    start_ms            BIGINT NOT NULL,
    end_ms              BIGINT NOT NULL,
    segments            BIGINT NOT NULL,
    records             BIGINT NOT NULL,
    bytes               BIGINT NOT NULL,
    raw_bytes           BIGINT NOT NULL,
    meta_sequence       BIGINT NOT NULL,
    user_sequence       BIGINT
);
CREATE INDEX IF NOT EXISTS sessions_by_app ON sessions (app, start_ms);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS segments (
    session_id  TEXT NOT NULL,
    sequence    BIGINT NOT NULL,
    start_ms    BIGINT NOT NULL,
    end_ms      BIGINT NOT NULL,
    records     BIGINT NOT NULL,
    bytes       BIGINT NOT NULL,
    PRIMARY KEY (session_id, sequence)
);
