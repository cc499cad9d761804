-- The app that owns each session (as migrations/sqlite/0003_owners.sql).
CREATE TABLE IF NOT EXISTS owners (
    session_id  TEXT PRIMARY KEY,
    app         TEXT NOT NULL
);
INSERT INTO owners (session_id, app) SELECT session_id, app FROM sessions ON CONFLICT DO NOTHING;
