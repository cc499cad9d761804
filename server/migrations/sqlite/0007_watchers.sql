-- Live view: the sessions somebody watches in the player, until when (refreshed while the player
-- follows). Uploads of a watched session are answered with the live flag.
CREATE TABLE IF NOT EXISTS watchers (
    session_id  TEXT PRIMARY KEY,
    until_ms    INTEGER NOT NULL
) WITHOUT ROWID;
