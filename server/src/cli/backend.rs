//! Where a command finds a collector's segments and index: the data folder (files and the
//! SQLite index, the embedded default), or a shared bucket (`--store s3://...`, credentials from
//! `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`) and database (`--index postgres://...`), as
//! `reprise serve` takes them.

use std::path::Path;
use std::sync::Arc;

use crate::config::IndexLocation;
use crate::data_dir::find_collector_data;
use crate::index::SessionIndex;
use crate::index::postgres::PostgresDb;
use crate::store::s3::{S3Config, S3Credentials};
use crate::store::{DirStore, S3Store, SegmentStore};

/// A command's failure, for its message.
pub type Failure = Box<dyn std::error::Error>;

/// The store at `url`, else the one in the collector data folder at or inside `data`.
pub fn open_store(data: &Path, url: Option<&str>) -> Result<Arc<dyn SegmentStore>, Failure> {
    Ok(match url {
        Some(url) => {
            let mut s3 = S3Config::parse_url(url)?;
            s3.credentials = S3Credentials::from_env();
            Arc::new(S3Store::open(&s3)?)
        }
        None => Arc::new(DirStore::open(&find_collector_data(data)?)?),
    })
}

/// The index at `url`, else the one in the collector data folder at or inside `data`.
pub fn open_index(data: &Path, url: Option<&str>) -> Result<SessionIndex, Failure> {
    Ok(match url {
        Some(url) => {
            IndexLocation::parse(url)?;
            SessionIndex::over(PostgresDb::connect(url)?)
        }
        None => SessionIndex::open(&find_collector_data(data)?)?,
    })
}
