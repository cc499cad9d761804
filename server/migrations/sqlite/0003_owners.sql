-- The app that owns each session (its key created it); sessions indexed before belong to the app
-- that uploaded them.
CREATE TABLE IF NOT EXISTS owners (
    session_id  TEXT PRIMARY KEY,
    app         TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO owners (session_id, app) SELECT session_id, app FROM sessions;
