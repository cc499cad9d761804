-- What the list filters on beyond the device's model: the screen (dp, density, orientation) and
-- locale of the session's first segment (0 and empty for sessions indexed before), the screens
-- each session visited, and the notes and bookmarks people leave on sessions.
ALTER TABLE sessions ADD COLUMN width_dp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN height_dp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN density_milli INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN orientation TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN locale TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS session_screens (
    session_id  TEXT NOT NULL,
    screen      TEXT NOT NULL,
    PRIMARY KEY (session_id, screen)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS session_screens_by_screen ON session_screens (screen);
CREATE TABLE IF NOT EXISTS notes (
    session_id  TEXT NOT NULL,
    note_id     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    at_ms       INTEGER,
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (session_id, note_id)
) WITHOUT ROWID;
