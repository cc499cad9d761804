-- What the analysis finds (as migrations/sqlite/0002_findings.sql).
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS rage_taps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS dead_taps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS layout_issues BIGINT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS findings (
    session_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    node_id     BIGINT NOT NULL,
    time_key    BIGINT NOT NULL,
    time_ms     BIGINT NOT NULL,
    x           BIGINT NOT NULL,
    y           BIGINT NOT NULL,
    w           BIGINT NOT NULL,
    h           BIGINT NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, node_id, time_key)
);
