//! Query-string parameters of the API: only the names an endpoint knows, each at most once, an
//! empty value meaning "not given" (what an HTML form sends for an untouched field); and the
//! session id of a path, refused as JSON like every other error when it is not text.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::error::ApiError;

/// The `{id}` of a `/v1/sessions/{id}...` path, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for SessionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(SessionPath(id)),
            Err(e) => Err(ApiError::bad("id", format!("the session id in the path is not usable: {}", e.body_text()))),
        }
    }
}

/// The parameters of one request.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `raw`, refusing names outside `known` and repeated names.
    pub fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !known.contains(&name.as_ref()) {
                return Err(ApiError::bad(&name, format!("unknown parameter; expected one of {}", known.join(", "))));
            }
            if out.iter().any(|(n, _)| *n == name) {
                return Err(ApiError::bad(&name, "given more than once"));
            }
            if !value.is_empty() {
                out.push((name.into_owned(), value.into_owned()));
            }
        }
        Ok(Params(out))
    }

    /// The text of `name`, if given.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    /// A `true`/`false` flag (absent is false).
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.text(name).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(ApiError::bad(name, format!("expected true or false, got {other:?}"))),
        }
    }

    /// A whole number within `min..=max`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        let Some(text) = self.text(name) else { return Ok(None) };
        match text.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(ApiError::bad(name, format!("expected a whole number from {min} to {max}, got {text:?}"))),
        }
    }

    /// A non-negative number of seconds (decimals allowed), in ms.
    pub fn seconds_as_ms(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let Some(text) = self.text(name) else { return Ok(None) };
        match text.parse::<f64>() {
            Ok(s) if s.is_finite() && (0.0..=1e9).contains(&s) => Ok(Some((s * 1000.0).round() as i64)),
            _ => Err(ApiError::bad(name, format!("expected a number of seconds, got {text:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_typed_and_checked() {
        let p = Params::parse(Some("a=1&b=true&c=&d=2.5&e=x%20y"), &["a", "b", "c", "d", "e"]).expect("parses");
        assert_eq!(p.int("a", 0, 10).expect("int"), Some(1));
        assert!(p.int("a", 2, 10).is_err());
        assert!(p.flag("b").expect("flag"));
        assert!(!p.flag("c").expect("empty is absent"));
        assert_eq!(p.seconds_as_ms("d").expect("seconds"), Some(2500));
        assert_eq!(p.text("e").as_deref(), Some("x y"));
        assert!(p.flag("e").is_err());
        assert!(p.seconds_as_ms("e").is_err());
        assert!(Params::parse(Some("z=1"), &["a"]).is_err());
        assert!(Params::parse(Some("a=1&a=2"), &["a"]).is_err());
        assert!(Params::parse(None, &["a"]).expect("empty").text("a").is_none());
    }
}
