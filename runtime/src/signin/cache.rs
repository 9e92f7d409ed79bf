//! The persistent token cache: a JSON file holding one refresh token per (authority, tenant,
//! client id, user). Access tokens stay in memory; only the long-lived credential is kept.
//!
//! The file is refused (and left untouched) when it is corrupt, owned by another user, or open
//! to group or others, because each of those means someone else could have read or planted the
//! credential. Writes go to a 0600 temp sibling that is renamed over the file, so a crash never
//! leaves half a cache.

use super::error::CacheError;
use super::secret::Secret;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Who a cache entry belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    /// The authority host, e.g. `https://login.microsoftonline.com`.
    pub authority: String,
    /// The tenant id or domain (or `organizations`).
    pub tenant: String,
    /// The app registration's client id.
    pub client_id: String,
    /// The signed-in user (`preferred_username`, else the object id).
    pub user: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    #[serde(flatten)]
    pub(crate) key: CacheKey,
    pub(crate) refresh_token: Secret,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: Vec<Entry>,
}

const VERSION: u32 = 1;

/// A token cache file. Cheap to clone; every call reads or rewrites the file.
#[derive(Debug, Clone)]
pub struct TokenCache {
    path: PathBuf,
}

impl TokenCache {
    /// A cache stored at `path` (created on the first save, with its directory).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        TokenCache { path: path.into() }
    }

    /// The file this cache reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The entries, after checking the file is safe; an absent file is an empty cache.
    fn load(&self) -> Result<CacheFile, CacheError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(CacheFile {
                    version: VERSION,
                    entries: Vec::new(),
                });
            }
            Err(source) => return Err(self.io(source)),
        };
        self.check_permissions()?;
        let file: CacheFile =
            serde_json::from_slice(&bytes).map_err(|error| CacheError::Corrupt {
                path: self.path.clone(),
                // Line and column only: serde's message may quote the content.
                reason: format!(
                    "not valid JSON at line {} column {}",
                    error.line(),
                    error.column()
                ),
            })?;
        if file.version != VERSION {
            return Err(CacheError::Corrupt {
                path: self.path.clone(),
                reason: format!("unknown version {}", file.version),
            });
        }
        Ok(file)
    }

    #[cfg(unix)]
    fn check_permissions(&self) -> Result<(), CacheError> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(&self.path).map_err(|e| self.io(e))?;
        let me = rustix::process::getuid().as_raw();
        if meta.uid() != me {
            return Err(CacheError::NotOwner {
                path: self.path.clone(),
                owner: meta.uid(),
                me,
            });
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(CacheError::TooOpen {
                path: self.path.clone(),
                mode,
            });
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_permissions(&self) -> Result<(), CacheError> {
        Ok(())
    }

    fn io(&self, source: std::io::Error) -> CacheError {
        CacheError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// The refresh token for the first entry matching the authority, tenant and client id
    /// (and the user, when given).
    pub(crate) fn find(
        &self,
        authority: &str,
        tenant: &str,
        client_id: &str,
        user: Option<&str>,
    ) -> Result<Option<Entry>, CacheError> {
        Ok(self.load()?.entries.into_iter().find(|entry| {
            entry.key.authority == authority
                && entry.key.tenant == tenant
                && entry.key.client_id == client_id
                && user.is_none_or(|user| entry.key.user == user)
        }))
    }

    /// Every signed-in account in the file.
    pub fn accounts(&self) -> Result<Vec<CacheKey>, CacheError> {
        Ok(self.load()?.entries.into_iter().map(|e| e.key).collect())
    }

    /// Stores (or replaces) the refresh token of `key`: the newest one wins (rotation).
    pub(crate) fn store(&self, key: &CacheKey, refresh_token: &Secret) -> Result<(), CacheError> {
        let mut file = self.load()?;
        file.entries.retain(|entry| entry.key != *key);
        file.entries.push(Entry {
            key: key.clone(),
            refresh_token: refresh_token.clone(),
        });
        self.write(&file)
    }

    /// Forgets every entry matching the authority, tenant and client id; returns how many.
    pub fn remove(
        &self,
        authority: &str,
        tenant: &str,
        client_id: &str,
    ) -> Result<usize, CacheError> {
        let mut file = self.load()?;
        let before = file.entries.len();
        file.entries.retain(|entry| {
            !(entry.key.authority == authority
                && entry.key.tenant == tenant
                && entry.key.client_id == client_id)
        });
        let removed = before - file.entries.len();
        if removed > 0 {
            self.write(&file)?;
        }
        Ok(removed)
    }

    fn write(&self, file: &CacheFile) -> Result<(), CacheError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        }
        let json =
            serde_json::to_vec_pretty(file).map_err(|e| self.io(std::io::Error::other(e)))?;
        let mut temp_name = self.path.file_name().unwrap_or_default().to_os_string();
        temp_name.push(format!(".tmp-{}", uuid::Uuid::new_v4().simple()));
        let temp = self.path.with_file_name(temp_name);
        let result = (|| {
            let mut out = open_owner_only(&temp)?;
            out.write_all(&json)?;
            out.sync_all()?;
            std::fs::rename(&temp, &self.path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result.map_err(|e| self.io(e))
    }
}

/// Creates the file readable by its owner only from the first byte, not chmod'ed afterwards.
fn open_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(user: &str) -> CacheKey {
        CacheKey {
            authority: "http://127.0.0.1:1".into(),
            tenant: "contoso".into(),
            client_id: "app".into(),
            user: user.into(),
        }
    }

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("signin-cache-{}", uuid::Uuid::new_v4()));
        dir.join(name)
    }

    #[test]
    fn store_then_find_keeps_the_newest_token_with_mode_600() {
        let cache = TokenCache::new(temp_path("cache.json"));
        cache.store(&key("ada"), &Secret::new("rt-1")).unwrap();
        cache.store(&key("ada"), &Secret::new("rt-2")).unwrap();
        cache.store(&key("bob"), &Secret::new("rt-b")).unwrap();
        let found = cache
            .find("http://127.0.0.1:1", "contoso", "app", Some("ada"))
            .unwrap()
            .unwrap();
        assert_eq!(found.refresh_token.expose(), "rt-2");
        assert_eq!(cache.accounts().unwrap().len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let mode = std::fs::metadata(cache.path()).unwrap().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(
            cache
                .remove("http://127.0.0.1:1", "contoso", "app")
                .unwrap(),
            2
        );
        assert!(cache.accounts().unwrap().is_empty());
    }

    #[test]
    fn a_corrupt_file_is_refused_and_left_unchanged() {
        let cache = TokenCache::new(temp_path("cache.json"));
        cache.store(&key("ada"), &Secret::new("rt-1")).unwrap();
        std::fs::write(cache.path(), b"{ not json secret-ish").unwrap();
        let error = cache.store(&key("ada"), &Secret::new("rt-2")).unwrap_err();
        assert!(matches!(error, CacheError::Corrupt { .. }), "{error}");
        assert!(!error.to_string().contains("secret-ish"));
        assert_eq!(
            std::fs::read(cache.path()).unwrap(),
            b"{ not json secret-ish"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_group_readable_file_is_refused_and_left_unchanged() {
        use std::os::unix::fs::PermissionsExt;
        let cache = TokenCache::new(temp_path("cache.json"));
        cache.store(&key("ada"), &Secret::new("rt-1")).unwrap();
        std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let before = std::fs::read(cache.path()).unwrap();
        let error = cache
            .find("http://127.0.0.1:1", "contoso", "app", None)
            .unwrap_err();
        assert!(
            matches!(error, CacheError::TooOpen { mode: 0o644, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("chmod 600"));
        assert_eq!(std::fs::read(cache.path()).unwrap(), before);
    }

    #[test]
    fn debug_of_an_entry_hides_the_refresh_token() {
        let entry = Entry {
            key: key("ada"),
            refresh_token: Secret::new("rt-do-not-print"),
        };
        assert!(!format!("{entry:?}").contains("do-not-print"));
    }
}
