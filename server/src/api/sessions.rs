//! `GET /v1/sessions` (the filtered list and the values to filter by) and `GET /v1/sessions/{id}`
//! (one session's row, full metadata, user and segment problems).

use axum::Json;
use axum::extract::{RawQuery, State};
use reprise_core::event::AttributeValue;
use reprise_core::record::UserInfo;
use reprise_core::{Platform, Record, SessionMetadata};
use serde::Serialize;
use serde_json::Value;

use super::params::{Params, SessionPath};
use super::{blocking, load};
use crate::error::ApiError;
use crate::analysis::FindingKind;
use crate::index::device::{SizeClass, density_milli};
use crate::index::{Facets, SessionFilter, SessionRow, SessionSort};
use crate::replay::Screen;
use crate::replay::timeline::SegmentProblem;
use crate::state::AppState;

/// Rows listed when the request gives no `limit`.
pub const DEFAULT_LIMIT: i64 = 200;
/// The largest `limit` accepted.
pub const MAX_LIMIT: i64 = 1000;

const LIST_PARAMS: [&str; 23] = [
    "app",
    "size_class",
    "orientation",
    "density",
    "locale",
    "screen",
    "has_notes",
    "bookmarked",
    "platform",
    "os_version",
    "device_model",
    "app_version",
    "user_id",
    "user_search",
    "has_rage_taps",
    "has_dead_taps",
    "has_layout_issues",
    "min_duration_s",
    "max_duration_s",
    "finding",
    "sort",
    "offset",
    "limit",
];

/// The largest `offset` accepted.
pub const MAX_OFFSET: i64 = 10_000_000;

/// The answer of `GET /v1/sessions`.
#[derive(Debug, Serialize)]
pub struct SessionList {
    /// How many sessions match the filters, over all pages.
    pub total: i64,
    /// How many matching sessions come before this page.
    pub offset: i64,
    /// This page of the matching sessions, in the order asked for.
    pub sessions: Vec<SessionRow>,
    /// The values each filter can take, over all sessions.
    pub facets: Facets,
}

/// The filter a query string describes.
pub fn filter_of(query: Option<&str>) -> Result<SessionFilter, ApiError> {
    let p = Params::parse(query, &LIST_PARAMS)?;
    let platform = match p.text("platform").as_deref() {
        None => None,
        Some("android") => Some(Platform::Android),
        Some("ios") => Some(Platform::Ios),
        Some("other") => Some(Platform::Other),
        Some(other) => return Err(ApiError::bad("platform", format!("expected android, ios or other, got {other:?}"))),
    };
    let min_duration_ms = p.seconds_as_ms("min_duration_s")?;
    let max_duration_ms = p.seconds_as_ms("max_duration_s")?;
    if let (Some(min), Some(max)) = (min_duration_ms, max_duration_ms)
        && min > max
    {
        return Err(ApiError::bad("max_duration_s", "is below min_duration_s"));
    }
    let limit = p.int("limit", 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT);
    let offset = p.int("offset", 0, MAX_OFFSET)?.unwrap_or(0);
    let finding = p.text("finding");
    if let Some(kind) = &finding
        && FindingKind::from_name(kind).is_none()
    {
        let kinds: Vec<&str> = FindingKind::ALL.iter().map(|k| k.name()).collect();
        return Err(ApiError::bad("finding", format!("expected one of {}, got {kind:?}", kinds.join(", "))));
    }
    let sort = match p.text("sort") {
        None => SessionSort::default(),
        Some(name) => SessionSort::from_name(&name).ok_or_else(|| {
            let names: Vec<&str> = SessionSort::ALL.iter().map(|(_, n)| *n).collect();
            ApiError::bad("sort", format!("expected one of {}, got {name:?}", names.join(", ")))
        })?,
    };
    let device = device_filter(&p)?;
    Ok(SessionFilter {
        size_class: device.size_class,
        orientation: device.orientation,
        density_milli: device.density_milli,
        locale: device.locale,
        screen: device.screen,
        has_notes: p.flag("has_notes")?,
        bookmarked: p.flag("bookmarked")?,
        app: p.text("app"),
        platform,
        os_version: p.text("os_version"),
        device_model: p.text("device_model"),
        app_version: p.text("app_version"),
        user_id: p.text("user_id"),
        user_search: p.text("user_search"),
        has_rage_taps: p.flag("has_rage_taps")?,
        has_dead_taps: p.flag("has_dead_taps")?,
        has_layout_issues: p.flag("has_layout_issues")?,
        min_duration_ms,
        max_duration_ms,
        finding,
        sort,
        offset: u32::try_from(offset).unwrap_or(0),
        limit: u32::try_from(limit).ok(),
    })
}

/// The longest locale accepted (BCP 47 tags are at most 35 characters in practice).
pub const MAX_LOCALE_CHARS: usize = 35;
/// The longest screen name accepted in a filter (the collector cuts stored names to 256).
pub const MAX_SCREEN_CHARS: usize = 256;

/// The device and screen filters of a query, checked.
fn device_filter(p: &Params) -> Result<SessionFilter, ApiError> {
    let size_class = match p.text("size_class") {
        None => None,
        Some(name) => Some(SizeClass::from_name(&name).ok_or_else(|| {
            let names: Vec<&str> = SizeClass::ALL.iter().map(|(_, n)| *n).collect();
            ApiError::bad("size_class", format!("expected one of {}, got {name:?}", names.join(", ")))
        })?),
    };
    let orientation = p.text("orientation");
    if let Some(o) = orientation.as_deref()
        && o != "portrait"
        && o != "landscape"
    {
        return Err(ApiError::bad("orientation", format!("expected portrait or landscape, got {o:?}")));
    }
    let density_milli = match p.text("density") {
        None => None,
        Some(text) => match text.parse::<f64>().map(density_milli) {
            Ok(milli) if milli > 0 => Some(milli),
            _ => return Err(ApiError::bad("density", format!("expected pixels per dp, a number above 0 and at most 100, got {text:?}"))),
        },
    };
    let locale = p.text("locale");
    if let Some(l) = locale.as_deref()
        && (l.chars().count() > MAX_LOCALE_CHARS || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(ApiError::bad("locale", format!("expected a locale such as en-GB (letters, digits, - and _, at most {MAX_LOCALE_CHARS}), got {l:?}")));
    }
    let screen = p.text("screen");
    if screen.as_deref().is_some_and(|s| s.chars().count() > MAX_SCREEN_CHARS) {
        return Err(ApiError::bad("screen", format!("a screen name is at most {MAX_SCREEN_CHARS} characters")));
    }
    Ok(SessionFilter { size_class, orientation, density_milli, locale, screen, ..Default::default() })
}

/// `GET /v1/sessions`.
pub async fn list(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Json<SessionList>, ApiError> {
    let filter = filter_of(query.as_deref())?;
    blocking(move || {
        let sessions = state.index().sessions(&filter)?;
        let total = state.index().count(&filter)?;
        let facets = state.index().facets()?;
        Ok(Json(SessionList { total, offset: i64::from(filter.offset), sessions, facets }))
    })
    .await
}

/// The user as of the end of the session: id and attributes.
#[derive(Debug, Serialize)]
pub struct UserView {
    /// The app's id for the user.
    pub user_id: Option<String>,
    /// Attributes as `[name, value]`, values as plain JSON.
    pub attributes: Vec<(String, Value)>,
}

/// The answer of `GET /v1/sessions/{id}`.
#[derive(Debug, Serialize)]
pub struct SessionDetail {
    /// The index row.
    pub session: SessionRow,
    /// Device, OS, app, network, locale, time zone and screen, as the session's first segment
    /// has them.
    pub metadata: Option<SessionMetadata>,
    /// The screen at the start, in dp.
    pub screen: Screen,
    /// The user at the end of what is stored.
    pub user: UserView,
    /// Segments that are missing or did not decode.
    pub problems: Vec<SegmentProblem>,
}

/// `GET /v1/sessions/{id}`.
pub async fn detail(State(state): State<AppState>, SessionPath(id): SessionPath) -> Result<Json<SessionDetail>, ApiError> {
    let (row, replay) = load(&state, &id).await?;
    let timeline = &replay.timeline;
    let mut user = timeline.info.as_ref().map(|i| i.user.clone()).unwrap_or_default();
    for r in &timeline.records {
        if let Record::User(u) = &r.record {
            user = u.clone();
        }
    }
    Ok(Json(SessionDetail {
        session: row,
        metadata: timeline.info.as_ref().map(|i| i.metadata.clone()),
        screen: timeline.screen_at(timeline.start_ms()),
        user: user_view(user),
        problems: timeline.problems.clone(),
    }))
}

fn user_view(user: UserInfo) -> UserView {
    let attributes = user
        .attributes
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                AttributeValue::String(s) => Value::from(s),
                AttributeValue::Int(i) => Value::from(i),
                AttributeValue::Float(f) => Value::from(f),
                AttributeValue::Bool(b) => Value::from(b),
            };
            (name, value)
        })
        .collect();
    UserView { user_id: user.user_id, attributes }
}
