//! Making HTTP calls: what the generated `HttpApi` needs from a transport, and the helpers it
//! uses to build requests and read responses.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;
use crate::error::ValidationIssue;

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Sends HTTP requests. Implement it for a transport (or a recorder, in tests) and every
/// generated `HttpApi` method works on it.
pub trait Call {
    /// Sends `request` and returns the response, whatever its status.
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Error>;

    /// Whether generated calls check a payload against its manifest's constraints before
    /// sending it (default: yes); a transport that leaves the judging to the server says no.
    fn validates_payloads(&self) -> bool {
        true
    }
}

impl<T: Call + ?Sized> Call for &T {
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        (**self).call(request)
    }

    fn validates_payloads(&self) -> bool {
        (**self).validates_payloads()
    }
}

/// One HTTP request, built by generated code.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// Upper-case method.
    pub method: &'static str,
    /// The path with its parameters filled in and percent-encoded, e.g. `/persona/3f2a...`.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Header parameters, in order.
    pub headers: Vec<(String, String)>,
    /// The body as JSON, with its media type (`application/json`, `multipart/form-data`, ...).
    pub body: Option<(&'static str, Value)>,
}

impl HttpRequest {
    /// A request with no parameters and no body.
    pub fn new(method: &'static str, path: String) -> Self {
        HttpRequest {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a query parameter; `None` and `null` add nothing, arrays add one pair per item.
    pub fn query<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Result<Self, Error> {
        for item in items(name, value)? {
            self.query.push((name.to_owned(), item));
        }
        Ok(self)
    }

    /// Adds a header; `None` and `null` add nothing, arrays join with `,`.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Result<Self, Error> {
        let values = items(name, value)?;
        if !values.is_empty() {
            self.headers.push((name.to_owned(), values.join(",")));
        }
        Ok(self)
    }

    /// Adds a cookie (`name=value`) to the `Cookie` header; `None` and `null` add nothing.
    pub fn cookie<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Result<Self, Error> {
        let values = items(name, value)?;
        if values.is_empty() {
            return Ok(self);
        }
        let pair = format!("{name}={}", values.join(","));
        match self
            .headers
            .iter_mut()
            .find(|(header, _)| header.eq_ignore_ascii_case("cookie"))
        {
            Some((_, cookies)) => {
                cookies.push_str("; ");
                cookies.push_str(&pair);
            }
            None => self.headers.push(("Cookie".to_owned(), pair)),
        }
        Ok(self)
    }

    /// Sets the body.
    pub fn body<T: Serialize + ?Sized>(
        mut self,
        media_type: &'static str,
        value: &T,
    ) -> Result<Self, Error> {
        let json = serde_json::to_value(value).map_err(|source| Error::Encode {
            what: format!("the body of {} {}", self.method, self.path),
            source,
        })?;
        self.body = Some((media_type, json));
        Ok(self)
    }
}

/// A path parameter, as text and percent-encoded for one path segment.
pub fn segment<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let text = items(name, value)?.join(",");
    Ok(utf8_percent_encode(&text, SEGMENT).to_string())
}

/// A parameter's values as text: strings as they are, other scalars as JSON.
fn items<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<String>, Error> {
    let json = serde_json::to_value(value).map_err(|source| Error::Encode {
        what: format!("the parameter `{name}`"),
        source,
    })?;
    Ok(match json {
        Value::Null => Vec::new(),
        Value::Array(values) => values.iter().filter_map(scalar).collect(),
        other => scalar(&other).into_iter().collect(),
    })
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body, as received.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as `T`, when the status is 2xx; otherwise [`Error::Status`].
    pub fn json<T: DeserializeOwned>(self, method: &str, path: &str) -> Result<T, Error> {
        let body = self.success(method, path)?;
        let body: &[u8] = if body.is_empty() { b"null" } else { &body };
        serde_json::from_slice(body).map_err(|source| Error::Decode {
            what: format!("the response of {method} {path}"),
            source,
        })
    }

    /// The raw body, when the status is 2xx; otherwise [`Error::Status`].
    pub fn bytes(self, method: &str, path: &str) -> Result<Vec<u8>, Error> {
        self.success(method, path)
    }

    /// Nothing, when the status is 2xx; otherwise [`Error::Status`].
    pub fn empty(self, method: &str, path: &str) -> Result<(), Error> {
        self.success(method, path).map(drop)
    }

    /// The body of a 2xx response; otherwise the error its status means: 401/403
    /// [`Error::Unauthorized`], 422 [`Error::Invalid`] with FastAPI's `detail`, else
    /// [`Error::Status`].
    fn success(self, method: &str, path: &str) -> Result<Vec<u8>, Error> {
        if (200..300).contains(&self.status) {
            return Ok(self.body);
        }
        let text = String::from_utf8_lossy(&self.body).into_owned();
        match self.status {
            401 | 403 => Err(Error::Unauthorized {
                at: format!("{method} {path}"),
                message: detail_message(&text).unwrap_or(text),
            }),
            422 => match validation_detail(&self.body) {
                Some(detail) => Err(Error::Invalid {
                    method: method.to_owned(),
                    path: path.to_owned(),
                    detail,
                }),
                None => Err(Error::Status {
                    method: method.to_owned(),
                    path: path.to_owned(),
                    status: self.status,
                    body: text,
                }),
            },
            status => Err(Error::Status {
                method: method.to_owned(),
                path: path.to_owned(),
                status,
                body: text,
            }),
        }
    }
}

/// FastAPI's `{"detail": "..."}`, when the body is that.
fn detail_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    value.get("detail")?.as_str().map(str::to_owned)
}

/// FastAPI's `{"detail": [{loc, msg, type}, ...]}`, when the body is that.
fn validation_detail(body: &[u8]) -> Option<Vec<ValidationIssue>> {
    #[derive(serde::Deserialize)]
    struct Detail {
        detail: Vec<ValidationIssue>,
    }
    serde_json::from_slice::<Detail>(body)
        .ok()
        .map(|d| d.detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(segment("id", "a b/c").unwrap(), "a%20b%2Fc");
        assert_eq!(segment("n", &42).unwrap(), "42");
    }

    #[test]
    fn query_skips_none_and_repeats_arrays() {
        let request = HttpRequest::new("GET", "/x".into())
            .query("a", &None::<i32>)
            .unwrap()
            .query("tags", &["x", "y"])
            .unwrap()
            .query("flag", &true)
            .unwrap();
        assert_eq!(
            request.query,
            [
                ("tags".into(), "x".into()),
                ("tags".into(), "y".into()),
                ("flag".into(), "true".into())
            ]
        );
    }

    #[test]
    fn cookies_share_one_header() {
        let request = HttpRequest::new("GET", "/x".into())
            .cookie("session", "abc")
            .unwrap()
            .cookie("theme", &Some("dark"))
            .unwrap()
            .cookie("absent", &None::<String>)
            .unwrap();
        assert_eq!(
            request.headers,
            [("Cookie".to_owned(), "session=abc; theme=dark".to_owned())]
        );
    }

    #[test]
    fn non_success_status_is_an_error_with_the_body_as_text() {
        let response = HttpResponse {
            status: 404,
            body: b"nope".to_vec(),
        };
        let error = response.json::<Value>("GET", "/x").unwrap_err();
        assert_eq!(error.to_string(), "GET /x answered 404: nope");
        assert!(format!("{error:?}").contains("body: \"nope\""), "{error:?}");
    }

    #[test]
    fn unauthorized_statuses_carry_the_servers_message() {
        for status in [401, 403] {
            let response = HttpResponse {
                status,
                body: br#"{"detail":"a valid bearer token is required"}"#.to_vec(),
            };
            let error = response.empty("POST", "/persona/search").unwrap_err();
            assert_eq!(
                error.to_string(),
                "POST /persona/search refused the request: a valid bearer token is required"
            );
        }
    }

    #[test]
    fn unprocessable_entity_carries_fastapis_detail() {
        let response = HttpResponse {
            status: 422,
            body: br#"{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 1 character","input":""}]}"#.to_vec(),
        };
        let error = response
            .json::<Value>("POST", "/persona/create")
            .unwrap_err();
        let Error::Invalid { detail, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(
            detail,
            &[ValidationIssue {
                loc: vec![Value::from("body"), Value::from("name")],
                msg: "String should have at least 1 character".into(),
                kind: "string_too_short".into()
            }]
        );
        assert_eq!(
            error.to_string(),
            "POST /persona/create rejected the request (422): body.name: String should have at least 1 character"
        );
    }
}
