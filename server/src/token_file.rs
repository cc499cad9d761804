//! The player's access token kept in the data folder (`<data>/access-token`, mode 0600), so that a
//! player link keeps working across restarts: made once when no token is configured, reused after,
//! replaced by `reprise token --rotate`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::AccessToken;
use crate::error::ConfigError;

/// The file's name in the data folder.
pub const TOKEN_FILE: &str = "access-token";

/// Where the token of the collector over `data_dir` is kept.
pub fn token_path(data_dir: &Path) -> PathBuf {
    data_dir.join(TOKEN_FILE)
}

/// The token kept in `data_dir`, if there is one.
pub fn read_token(data_dir: &Path) -> Result<Option<AccessToken>, ConfigError> {
    let path = token_path(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => AccessToken::new(text.trim()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::TokenFile { path, source }),
    }
}

/// The token kept in `data_dir`, made and written (0600) when there is none yet.
pub fn load_or_create_token(data_dir: &Path) -> Result<AccessToken, ConfigError> {
    match read_token(data_dir)? {
        Some(token) => Ok(token),
        None => write_new_token(data_dir),
    }
}

/// Makes a new token and writes it over the kept one (the old one stops working at the next
/// start).
pub fn write_new_token(data_dir: &Path) -> Result<AccessToken, ConfigError> {
    let token = AccessToken::generate()?;
    let path = token_path(data_dir);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(data_dir)?;
        let temp = data_dir.join(format!(".{TOKEN_FILE}.{}.tmp", std::process::id()));
        let mut options = std::fs::File::options();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(token.as_str().as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&temp, &path)
    };
    write().map_err(|source| ConfigError::Write { path, source })?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_made_once_kept_private_and_rotated_on_demand() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = load_or_create_token(dir.path()).expect("made");
        assert_eq!(load_or_create_token(dir.path()).expect("reused"), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(token_path(dir.path())).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let rotated = write_new_token(dir.path()).expect("rotated");
        assert_ne!(rotated, first);
        assert_eq!(read_token(dir.path()).expect("read"), Some(rotated));
    }
}
