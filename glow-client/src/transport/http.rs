//! `Http`: a blocking HTTP client (reqwest) on which every generated `HttpApi` method works.

use std::time::Duration;

use crate::Error;
use crate::bearer::Bearer;
use crate::http::{Call, HttpRequest, HttpResponse};

/// How long a request may take, unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings for [`Http`].
///
/// ```no_run
/// let http = glow_client::Http::builder("http://127.0.0.1:8000")
///     .bearer("eyJhbGciOi...")
///     .build()?;
/// # Ok::<(), glow_client::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct HttpBuilder {
    base: String,
    bearer: Option<Bearer>,
    timeout: Duration,
    validate: bool,
}

impl HttpBuilder {
    /// Sends `Authorization: Bearer <token>` with every request. A token that already starts
    /// with `Bearer ` is not doubled.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(Bearer::new(token));
        self
    }

    /// How long one request may take, connection included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether generated calls check their body against its constraints before sending it
    /// (default: yes); `false` leaves the judging to the server.
    pub fn validate_payloads(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// The client.
    pub fn build(self) -> Result<Http, Error> {
        let client = reqwest::blocking::Client::builder()
            .timeout(self.timeout)
            .build()
            .map_err(Error::transport)?;
        Ok(Http {
            base: self.base.trim_end_matches('/').to_owned(),
            bearer: self.bearer,
            timeout: self.timeout,
            validate: self.validate,
            client,
        })
    }
}

/// An HTTP client for a server's routes. Cheap to share: `Send + Sync`, one connection pool.
#[derive(Debug, Clone)]
pub struct Http {
    base: String,
    bearer: Option<Bearer>,
    timeout: Duration,
    validate: bool,
    client: reqwest::blocking::Client,
}

impl Http {
    /// Settings for a client of the server at `base` (`http://host:port`).
    pub fn builder(base: impl Into<String>) -> HttpBuilder {
        HttpBuilder {
            base: base.into(),
            validate: true,
            bearer: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl Call for Http {
    fn validates_payloads(&self) -> bool {
        self.validate
    }

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let url = format!("{}{}", self.base, request.path);
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).map_err(Error::transport)?;
        let mut builder = self.client.request(method, &url).query(&request.query);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(bearer) = &self.bearer {
            builder = builder.header(reqwest::header::AUTHORIZATION, bearer.header_value());
        }
        if let Some((media_type, body)) = &request.body {
            let bytes = serde_json::to_vec(body).map_err(|source| Error::Encode {
                what: format!("the body of {} {}", request.method, request.path),
                source,
            })?;
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, *media_type)
                .body(bytes);
        }
        let response = builder.send().map_err(|error| self.failure(&url, error))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .map_err(|error| self.failure(&url, error))?;
        Ok(HttpResponse {
            status,
            body: body.to_vec(),
        })
    }
}

impl Http {
    /// A failed exchange, naming the URL.
    fn failure(&self, url: &str, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            return Error::ConnectTimeout {
                url: url.to_owned(),
                timeout: self.timeout,
            };
        }
        Error::Connect {
            url: url.to_owned(),
            message: crate::error::with_sources(&error),
        }
    }
}
