//! The real collector (`reprise-server`) for tests: its API keys, starting it on loopback from a
//! blocking test, a runtime to run it on, and the upload settings that reach it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use reprise_core::UploadConfig;
use reprise_server::{ApiKeys, RunningServer, ServerConfig};

/// The app the tests upload as.
pub const APP: &str = "shop";
/// Its API key.
pub const KEY: &str = "shop-test-key-4f1c9a";
/// A second app.
pub const OTHER_APP: &str = "news";
/// Its API key.
pub const OTHER_KEY: &str = "news-test-key-90b2e7";

/// The keys of the test collector: [`APP`] with [`KEY`], [`OTHER_APP`] with [`OTHER_KEY`].
pub fn keys() -> ApiKeys {
    ApiKeys::new([(APP.to_owned(), KEY.to_owned()), (OTHER_APP.to_owned(), OTHER_KEY.to_owned())]).expect("keys")
}

/// A multi-threaded runtime (two workers) for a collector and whatever talks to it.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// Starts the real collector on `listen` (port 0 for any) with its data under `data_dir` and the
/// test [`keys`], on `rt`, from a test that is not async.
pub fn start_on(rt: &tokio::runtime::Runtime, listen: SocketAddr, data_dir: PathBuf) -> RunningServer {
    rt.block_on(RunningServer::start(ServerConfig::new(listen, data_dir, keys()))).expect("collector starts")
}

/// Upload settings for the collector at `addr` as [`APP`], with short backoffs so tests run fast.
pub fn upload_config(addr: SocketAddr) -> UploadConfig {
    UploadConfig {
        endpoint: format!("http://{addr}"),
        api_key: KEY.into(),
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(400),
        request_timeout: Duration::from_secs(5),
        ..Default::default()
    }
}
