-- Findings keyed by kind, screen and view, with the range they were seen in (as
-- migrations/sqlite/0004_finding_ranges.sql).
CREATE TABLE findings_by_view (
    session_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    screen      TEXT NOT NULL,
    view_key    TEXT NOT NULL,
    time_key    BIGINT NOT NULL,
    time_ms     BIGINT NOT NULL,
    last_ms     BIGINT NOT NULL,
    node_id     BIGINT NOT NULL,
    x           BIGINT NOT NULL,
    y           BIGINT NOT NULL,
    w           BIGINT NOT NULL,
    h           BIGINT NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, screen, view_key, time_key)
);
INSERT INTO findings_by_view
    SELECT session_id, kind, '', 'node ' || node_id, time_key, time_ms, time_ms, node_id, x, y, w, h, detail FROM findings;
DROP TABLE findings;
ALTER TABLE findings_by_view RENAME TO findings;
ALTER TABLE findings RENAME CONSTRAINT findings_by_view_pkey TO findings_pkey;
