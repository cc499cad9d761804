-- Sessions and the segments counted into them (the first release's index).
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
    started_ms          INTEGER NOT NULL,
    start_ms            INTEGER NOT NULL,
    end_ms              INTEGER NOT NULL,
    segments            INTEGER NOT NULL,
    records             INTEGER NOT NULL,
    bytes               INTEGER NOT NULL,
    raw_bytes           INTEGER NOT NULL,
    meta_sequence       INTEGER NOT NULL,
    user_sequence       INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_app ON sessions (app, start_ms);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS segments (
    session_id  TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    PRIMARY KEY (session_id, sequence)
) WITHOUT ROWID;
