//! Where a prompt's files go and where its outputs are read from: the [`ClientStorage`] contract
//! and [`DefaultClientStorage`], which puts files inline and reads `inline`, `url` and `server`
//! refs.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::protocol::types::FileRef;
use crate::Error;
use crate::bearer::Bearer;

/// Turns bytes into a [`FileRef`] the server can read, and a [`FileRef`] back into bytes.
///
/// The client calls `put` for each of a prompt's `files` and `get` for [`read`]; `get` is given
/// the endpoint's key for `server` refs only (the box's authenticated `/files/:id`), never for a
/// ref that points elsewhere.
///
/// [`read`]: super::PromptResult::read
pub trait ClientStorage: Send + Sync {
    /// Stores `bytes` (a file called `name`, of type `mime`) where the server can read them.
    fn put(&self, name: &str, mime: &str, bytes: &[u8]) -> Result<FileRef, Error>;

    /// The bytes `file` refers to; `bearer` is the endpoint's key when `file` is a `server` ref.
    fn get(&self, file: &FileRef, bearer: Option<&str>) -> Result<Vec<u8>, Error>;
}

/// How long [`DefaultClientStorage`] waits for one download, unless told otherwise.
pub const DEFAULT_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// Puts files inline (base64, in the prompt frame itself); reads `inline` refs by decoding them,
/// and `url` and `server` refs over HTTP (`server` refs with the bearer). `s3` and `gcs` refs
/// need a storage of your own.
#[derive(Debug, Clone)]
pub struct DefaultClientStorage {
    http: reqwest::blocking::Client,
}

impl DefaultClientStorage {
    /// A storage whose downloads may take [`DEFAULT_DOWNLOAD_TIMEOUT`].
    pub fn new() -> Result<Self, Error> {
        Self::with_timeout(DEFAULT_DOWNLOAD_TIMEOUT)
    }

    /// A storage whose downloads may take `timeout` each.
    pub fn with_timeout(timeout: Duration) -> Result<Self, Error> {
        let http = reqwest::blocking::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(Error::transport)?;
        Ok(DefaultClientStorage { http })
    }

    fn download(
        &self,
        url: &str,
        headers: &[(&str, String)],
        file: &str,
    ) -> Result<Vec<u8>, Error> {
        let mut request = self.http.get(url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().map_err(|error| Error::Connect {
            url: url.to_owned(),
            message: crate::error::with_sources(&error),
        })?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(Error::Unauthorized {
                at: url.to_owned(),
                message: format!("{status} fetching `{file}`"),
            });
        }
        if !status.is_success() {
            return Err(Error::Status {
                method: "GET".to_owned(),
                path: url.to_owned(),
                status: status.as_u16(),
                body: response.text().unwrap_or_default(),
            });
        }
        let bytes = response.bytes().map_err(Error::transport)?;
        Ok(bytes.to_vec())
    }
}

impl ClientStorage for DefaultClientStorage {
    fn put(&self, name: &str, mime: &str, bytes: &[u8]) -> Result<FileRef, Error> {
        Ok(FileRef::Inline {
            name: name.to_owned(),
            mime: mime.to_owned(),
            data: STANDARD.encode(bytes),
        })
    }

    fn get(&self, file: &FileRef, bearer: Option<&str>) -> Result<Vec<u8>, Error> {
        match file {
            FileRef::Inline { name, data, .. } => {
                STANDARD.decode(data).map_err(|error| Error::Storage {
                    file: name.clone(),
                    message: format!("its inline data is not base64: {error}"),
                })
            }
            FileRef::Url {
                name, url, headers, ..
            } => {
                let headers: Vec<(&str, String)> = headers
                    .iter()
                    .flatten()
                    .map(|(name, value)| (name.as_str(), value.clone()))
                    .collect();
                self.download(url, &headers, name)
            }
            FileRef::Server { name, url, .. } => {
                let headers: Vec<(&str, String)> = bearer
                    .map(|key| ("Authorization", Bearer::new(key).header_value()))
                    .into_iter()
                    .collect();
                self.download(url, &headers, name)
            }
            FileRef::S3 { name, .. } | FileRef::Gcs { name, .. } => Err(Error::Storage {
                file: name.clone(),
                message: "the default storage reads `inline`, `url` and `server` refs only; \
                          give the client a `ClientStorage` that reads this kind"
                    .to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_is_inline_base64_and_get_reads_it_back() {
        let storage = DefaultClientStorage::new().unwrap();
        let file = storage
            .put("a.bin", "application/octet-stream", &[0, 1, 254, 255])
            .unwrap();
        assert_eq!(
            file,
            FileRef::Inline {
                name: "a.bin".into(),
                mime: "application/octet-stream".into(),
                data: "AAH+/w==".into(),
            }
        );
        assert_eq!(storage.get(&file, None).unwrap(), [0, 1, 254, 255]);
    }

    #[test]
    fn refs_the_default_storage_cannot_read_say_so() {
        let storage = DefaultClientStorage::new().unwrap();
        let s3 = FileRef::S3 {
            name: "big.mp4".into(),
            mime: None,
            bucket: "b".into(),
            key: "k".into(),
            region: None,
        };
        let error = storage.get(&s3, Some("key")).unwrap_err();
        assert!(error.to_string().contains("big.mp4"), "{error}");
        let broken = FileRef::Inline {
            name: "x".into(),
            mime: "text/plain".into(),
            data: "***".into(),
        };
        assert!(
            storage
                .get(&broken, None)
                .unwrap_err()
                .to_string()
                .contains("not base64")
        );
    }
}
