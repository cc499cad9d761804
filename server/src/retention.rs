//! Retention policy: how long each app's sessions are kept, counted from when their latest
//! segment arrived. The sweep that applies it is `erasure::retention`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Days a session is kept when its app has no period of its own.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

const DAY_MS: i64 = 86_400_000;

/// How long sessions are kept: `days` for every app, or the app's own period. Zero keeps them
/// for ever. The `[retention]` table of the config file:
///
/// ```toml
/// [retention]
/// days = 30          # every app (the default)
/// [retention.apps]
/// checkout = 7       # this app's sessions: a week
/// archive = 0        # this app's: never deleted
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Days for every app without its own period; 0 keeps sessions for ever.
    pub days: u32,
    /// Days per app, by app name.
    pub apps: BTreeMap<String, u32>,
}

impl Default for Retention {
    fn default() -> Self {
        Self { days: DEFAULT_RETENTION_DAYS, apps: BTreeMap::new() }
    }
}

impl Retention {
    /// The days `app`'s sessions are kept (0: for ever).
    pub fn days_for(&self, app: &str) -> u32 {
        self.apps.get(app).copied().unwrap_or(self.days)
    }

    /// The arrival time before which `app`'s sessions are erased at `now_ms`, if they ever are.
    pub fn cutoff_ms(&self, app: &str, now_ms: i64) -> Option<i64> {
        match self.days_for(app) {
            0 => None,
            days => Some(now_ms.saturating_sub(i64::from(days).saturating_mul(DAY_MS))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_apps_own_period_wins_and_zero_keeps_for_ever() {
        let retention = Retention { days: 30, apps: BTreeMap::from([("shop".into(), 7), ("archive".into(), 0)]) };
        let now = 100 * DAY_MS;
        assert_eq!(retention.cutoff_ms("news", now), Some(70 * DAY_MS));
        assert_eq!(retention.cutoff_ms("shop", now), Some(93 * DAY_MS));
        assert_eq!(retention.cutoff_ms("archive", now), None);
        assert_eq!(Retention::default().days_for("any"), DEFAULT_RETENTION_DAYS);
    }

    #[test]
    fn the_config_table_reads_days_and_apps() {
        let retention: Retention = toml::from_str("days = 90\n[apps]\ncheckout = 7\n").expect("parses");
        assert_eq!((retention.days_for("checkout"), retention.days_for("other")), (7, 90));
        assert!(toml::from_str::<Retention>("dayz = 9").is_err(), "unknown keys are refused");
        assert!(toml::from_str::<Retention>("days = -1").is_err());
    }
}
