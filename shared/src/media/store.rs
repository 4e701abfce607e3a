//! Where downloaded media is kept: S3 in production, a local directory in the local stack, both
//! through the `object_store` crate behind the narrow [`MediaStore`] trait.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::TryStreamExt as _;
use object_store::path::Path;
use object_store::{Attribute, Attributes, ObjectStore, PutOptions, PutPayload};

use crate::domain::MessageSid;

/// Why media could not be stored or read back.
#[derive(Debug, thiserror::Error)]
pub enum MediaStoreError {
    #[error("MEDIA_STORE_URL is invalid: {0}")]
    Config(String),
    /// S3 or the disk failed; worth a retry.
    #[error("media store: {0}")]
    Backend(#[from] object_store::Error),
}

/// Where one stored attachment lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    /// The object key inside the bucket (or directory), prefix included: the `s3_key` column.
    pub key: String,
    /// The full location, `s3://bucket/key` or `file:///dir/key`: the `image_url` column.
    pub url: String,
}

/// The key of attachment `index` of message `sid`: `media/{yyyy}/{mm}/{dd}/{MessageSid}/{index}.{ext}`.
/// The date is the webhook's receive time, so a retry writes the same key again.
pub fn media_key(received_at: DateTime<Utc>, sid: &MessageSid, index: usize, extension: &str) -> String {
    format!("media/{}/{sid}/{index}.{extension}", received_at.format("%Y/%m/%d"))
}

/// The folder every attachment of message `sid` is stored under (see [`media_key`]).
pub fn media_prefix(received_at: DateTime<Utc>, sid: &MessageSid) -> String {
    format!("media/{}/{sid}/", received_at.format("%Y/%m/%d"))
}

/// Keeps attachment bytes.
#[async_trait]
pub trait MediaStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `key` (relative to the store's prefix); overwriting is harmless.
    /// `Bytes`, so the caller can keep a reference to what it stores without a copy.
    async fn put(&self, key: &str, content_type: &str, bytes: bytes::Bytes) -> Result<StoredMedia, MediaStoreError>;
    /// Reads back what `put` stored, by the key it returned.
    async fn get(&self, stored_key: &str) -> Result<Vec<u8>, MediaStoreError>;
    /// Deletes what `put` stored, by the key it returned; a key already gone is not an error.
    async fn delete(&self, stored_key: &str) -> Result<(), MediaStoreError>;
    /// Deletes every object under `prefix` (relative to the store's prefix, as `put`'s keys);
    /// returns how many there were.
    async fn delete_under(&self, prefix: &str) -> Result<usize, MediaStoreError>;
    /// A short description for start-up logs.
    fn describe(&self) -> String;
}

/// [`MediaStore`] over any `object_store` backend.
#[derive(Debug, Clone)]
pub struct ObjectMediaStore {
    store: Arc<dyn ObjectStore>,
    /// Prepended to every key (`s3://bucket/prefix` → `prefix`).
    prefix: String,
    /// `s3://bucket` or `file:///dir`, to write `image_url`.
    location: String,
    /// S3 keeps the content type with the object; the local filesystem cannot.
    keeps_content_type: bool,
}

impl ObjectMediaStore {
    /// `s3://bucket[/prefix]` (region, credentials and `AWS_ENDPOINT_URL` from the standard AWS
    /// variables) or `file:///absolute/dir` (created if missing).
    pub fn from_url(raw: &str) -> Result<Self, MediaStoreError> {
        let url = url::Url::parse(raw).map_err(|e| MediaStoreError::Config(format!("{raw:?}: {e}")))?;
        match url.scheme() {
            "s3" => {
                let bucket = url
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| MediaStoreError::Config("s3:// URL without a bucket".into()))?;
                let mut builder = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
                if let Some(endpoint) = std::env::var("AWS_ENDPOINT_URL").ok().filter(|e| !e.is_empty()) {
                    // A local endpoint (moto) speaks plain http and only path-style bucket addressing.
                    builder = builder
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                Ok(Self {
                    store: Arc::new(builder.build()?),
                    prefix: url.path().trim_matches('/').to_owned(),
                    location: format!("s3://{bucket}"),
                    keeps_content_type: true,
                })
            }
            "file" => {
                let dir = url
                    .to_file_path()
                    .map_err(|()| MediaStoreError::Config(format!("{raw:?} is not an absolute file:// path")))?;
                Self::local(&dir)
            }
            other => Err(MediaStoreError::Config(format!(
                "scheme {other}:// is not supported (use s3://bucket/prefix or file:///dir)"
            ))),
        }
    }

    /// A store in a local directory (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<Self, MediaStoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| MediaStoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self {
            store: Arc::new(store),
            prefix: String::new(),
            location: format!("file://{}", dir.display()),
            keeps_content_type: false,
        })
    }

    fn full_key(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        }
    }
}

#[async_trait]
impl MediaStore for ObjectMediaStore {
    async fn put(&self, key: &str, content_type: &str, bytes: bytes::Bytes) -> Result<StoredMedia, MediaStoreError> {
        let full = self.full_key(key);
        let mut options = PutOptions::default();
        if self.keeps_content_type {
            options.attributes = Attributes::from_iter([(Attribute::ContentType, content_type.to_owned())]);
        }
        self.store
            .put_opts(&Path::from(full.as_str()), PutPayload::from(bytes), options)
            .await?;
        Ok(StoredMedia {
            url: format!("{}/{full}", self.location.trim_end_matches('/')),
            key: full,
        })
    }

    async fn get(&self, stored_key: &str) -> Result<Vec<u8>, MediaStoreError> {
        let result = self.store.get(&Path::from(stored_key)).await?;
        Ok(result.bytes().await?.to_vec())
    }

    async fn delete(&self, stored_key: &str) -> Result<(), MediaStoreError> {
        match self.store.delete(&Path::from(stored_key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    async fn delete_under(&self, prefix: &str) -> Result<usize, MediaStoreError> {
        let full = self.full_key(prefix.trim_end_matches('/'));
        let found: Vec<Path> = match self
            .store
            .list(Some(&Path::from(full.as_str())))
            .try_collect::<Vec<_>>()
            .await
        {
            Ok(objects) => objects.into_iter().map(|meta| meta.location).collect(),
            // A local directory that was never created has nothing in it.
            Err(object_store::Error::NotFound { .. }) => Vec::new(),
            Err(error) => return Err(error.into()),
        };
        for location in &found {
            self.delete(location.as_ref()).await?;
        }
        Ok(found.len())
    }

    fn describe(&self) -> String {
        format!("media store at {}", self.location)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    #[test]
    fn keys_are_dated_by_receipt_and_named_by_message_and_index() {
        let sid = MessageSid::parse("MM0123456789abcdef0123456789abcdef").expect("sid");
        let at = Utc.with_ymd_and_hms(2026, 3, 7, 23, 59, 0).single().expect("time");
        assert_eq!(
            media_key(at, &sid, 1, "png"),
            "media/2026/03/07/MM0123456789abcdef0123456789abcdef/1.png"
        );
    }

    #[test]
    fn bad_store_urls_are_named() {
        for raw in ["ftp://x/y", "s3:///prefix", "not a url", "file://relative/dir"] {
            let error = ObjectMediaStore::from_url(raw).expect_err(raw).to_string();
            assert!(error.contains("MEDIA_STORE_URL"), "{raw}: {error}");
        }
    }

    #[tokio::test]
    async fn the_local_store_round_trips_bytes() {
        let dir = std::env::temp_dir().join(format!("tipline-media-{}", uuid::Uuid::new_v4()));
        let store = ObjectMediaStore::from_url(&format!("file://{}", dir.display())).expect("store");
        let stored = store
            .put("media/a/0.jpg", "image/jpeg", bytes::Bytes::from_static(&[1, 2, 3]))
            .await
            .expect("put");
        assert_eq!(stored.key, "media/a/0.jpg");
        assert!(stored.url.starts_with("file:///") && stored.url.ends_with("/media/a/0.jpg"));
        assert_eq!(store.get(&stored.key).await.expect("get"), [1, 2, 3]);
        assert_eq!(std::fs::read(dir.join("media/a/0.jpg")).expect("on disk"), [1, 2, 3]);
        store
            .put("media/a/1.pdf", "application/pdf", bytes::Bytes::from_static(&[4]))
            .await
            .expect("put");
        store
            .put("media/b/0.jpg", "image/jpeg", bytes::Bytes::from_static(&[5]))
            .await
            .expect("put");

        assert_eq!(store.delete_under("media/a/").await.expect("delete"), 2);
        assert!(!dir.join("media/a/0.jpg").exists() && !dir.join("media/a/1.pdf").exists());
        assert!(dir.join("media/b/0.jpg").exists(), "only under the prefix");
        assert_eq!(store.delete_under("media/a/").await.expect("again"), 0);
        assert_eq!(store.delete_under("media/none/").await.expect("never there"), 0);
        store.delete("media/b/0.jpg").await.expect("delete");
        store.delete("media/b/0.jpg").await.expect("already gone");
        assert!(!dir.join("media/b/0.jpg").exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}
