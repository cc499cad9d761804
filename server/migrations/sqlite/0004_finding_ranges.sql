-- Findings keyed by what they are about rather than by node: a layout issue is one row per kind,
-- screen and view (its identity across scrolling, `analysis::view_key`), with the first and last
-- moment it was seen; a struggle is one row per moment. Rows found before keep their node as
-- their view and their moment as their range.
CREATE TABLE findings_by_view (
    session_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    screen      TEXT NOT NULL,
    view_key    TEXT NOT NULL,
    time_key    INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,
    last_ms     INTEGER NOT NULL,
    node_id     INTEGER NOT NULL,
    x           INTEGER NOT NULL,
    y           INTEGER NOT NULL,
    w           INTEGER NOT NULL,
    h           INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, screen, view_key, time_key)
) WITHOUT ROWID;
INSERT INTO findings_by_view
    SELECT session_id, kind, '', 'node ' || node_id, time_key, time_ms, time_ms, node_id, x, y, w, h, detail FROM findings;
DROP TABLE findings;
ALTER TABLE findings_by_view RENAME TO findings;
