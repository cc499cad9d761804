-- What the analysis finds: one row per layout issue and node, one per rage or dead tap, and the
-- session counts the list filters on (zero for sessions indexed before).
ALTER TABLE sessions ADD COLUMN rage_taps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN dead_taps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN layout_issues INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS findings (
    session_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    node_id     INTEGER NOT NULL,
    time_key    INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,
    x           INTEGER NOT NULL,
    y           INTEGER NOT NULL,
    w           INTEGER NOT NULL,
    h           INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, node_id, time_key)
) WITHOUT ROWID;
