//! `reprise-demo`: records two demo sessions (real screens, real touches) through the real SDK
//! into an embedded collector, writes the replay GIF and a frame, prints the player's URL and
//! serves until Ctrl-C (`--exit` stops after the files).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use reprise_examples::demo::{self, DemoOptions};

/// Record the demo's sessions into an embedded collector and open the player on them.
#[derive(Debug, Parser)]
#[command(
    name = "reprise-demo",
    version,
    about,
    after_help = "Example:\n  cargo run -p reprise-examples --bin reprise-demo -- --out /tmp/demo --exit\n\
Writes OUT/replay.gif, OUT/frame.png, OUT/demo.json and OUT/data; `reprise sessions --data OUT` lists what it recorded."
)]
struct Args {
    /// Address to listen on (8900, :8900, localhost:8900, 127.0.0.1:8900); when the port is busy,
    /// a free one is taken.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8900", value_parser = reprise_server::listen::parse_listen)]
    listen: SocketAddr,
    /// Output folder: replay.gif, frame.png, demo.json and the data under DIR/data.
    #[arg(long, value_name = "DIR", default_value = "reprise-demo")]
    out: PathBuf,
    /// Stop after writing the files instead of serving the player until Ctrl-C.
    #[arg(long)]
    exit: bool,
    /// The fixtures folder [default: REPRISE_FIXTURES, else the tests/data folder of the checkout
    /// it runs in (found from the current folder upwards, then from the program's)].
    #[arg(long, value_name = "DIR")]
    fixtures: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("reprise-demo: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let fixtures = match args.fixtures.clone().map_or_else(demo::find_fixtures, Ok) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("reprise-demo: {e}");
            return ExitCode::from(2);
        }
    };
    let options = DemoOptions { listen: args.listen, out: args.out.clone(), fixtures };
    let demo = match demo::run(&options, &runtime) {
        Ok(demo) => demo,
        Err(e) => {
            eprintln!("reprise-demo: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", demo::summary(&demo, !args.exit));
    let _ = std::io::stdout().flush();
    if !args.exit {
        println!("serving until Ctrl-C");
        let _ = std::io::stdout().flush();
        runtime.block_on(reprise_server::cli::stop_signal());
        eprintln!("reprise-demo: shutting down");
    }
    match runtime.block_on(demo.server.shutdown()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reprise-demo: {e}");
            ExitCode::FAILURE
        }
    }
}
