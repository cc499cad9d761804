-- Device columns, visited screens, notes (as migrations/sqlite/0005_devices_and_notes.sql).
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS width_dp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS height_dp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS density_milli BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS orientation TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS locale TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS session_screens (
    session_id  TEXT NOT NULL,
    screen      TEXT NOT NULL,
    PRIMARY KEY (session_id, screen)
);
CREATE INDEX IF NOT EXISTS session_screens_by_screen ON session_screens (screen);
CREATE TABLE IF NOT EXISTS notes (
    session_id  TEXT NOT NULL,
    note_id     TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    text        TEXT NOT NULL,
    at_ms       BIGINT,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (session_id, note_id)
);
