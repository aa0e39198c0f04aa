//! The `truebind-emulator` command: serves a spec root for trying a program
//! by hand.
//!
//! `--spec DIR [--listen ADDR] [--access-key-id ID --access-key-secret SECRET]
//! [--token TOKEN] [--reads-to-settle N]`. The first line on stdout is
//! `listening on http://ADDR`, so a script can read the port; it stops on
//! SIGTERM, Ctrl-C, or the end of standard input.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Command, value_parser};
use tokio::io::AsyncReadExt;
use truebind_emulator::{Config, Emulator, Settle};

fn command() -> Command {
    Command::new("truebind-emulator")
        .about("Serves the actions of a spec root on 127.0.0.1, as the vendors would")
        .arg(
            Arg::new("spec")
                .long("spec")
                .value_name("DIR")
                .required(true)
                .value_parser(value_parser!(PathBuf))
                .help("spec root: a directory of service directories"),
        )
        .arg(
            Arg::new("listen")
                .long("listen")
                .value_name("ADDR")
                .default_value("127.0.0.1:0")
                .value_parser(value_parser!(SocketAddr))
                .help("address to listen on"),
        )
        .arg(
            Arg::new("access-key-id")
                .long("access-key-id")
                .value_name("ID")
                .requires("access-key-secret")
                .help("access key id requests must be signed with"),
        )
        .arg(
            Arg::new("access-key-secret")
                .long("access-key-secret")
                .value_name("SECRET")
                .requires("access-key-id")
                .help("its secret"),
        )
        .arg(
            Arg::new("token")
                .long("token")
                .value_name("TOKEN")
                .help("also accept Zenlayer Bearer requests with this token"),
        )
        .arg(
            Arg::new("reads-to-settle")
                .long("reads-to-settle")
                .value_name("N")
                .value_parser(value_parser!(u32))
                .action(ArgAction::Set)
                .help("reads a resource stays in progress"),
        )
}

fn config(matches: &clap::ArgMatches) -> Config {
    let spec = matches.get_one::<PathBuf>("spec").expect("required");
    let mut config =
        Config::new(spec).listen(*matches.get_one::<SocketAddr>("listen").expect("defaulted"));
    if let (Some(id), Some(secret)) = (
        matches.get_one::<String>("access-key-id"),
        matches.get_one::<String>("access-key-secret"),
    ) {
        config = config.access_key(id, secret);
    }
    if let Some(token) = matches.get_one::<String>("token") {
        config = config.token(token);
    }
    if let Some(n) = matches.get_one::<u32>("reads-to-settle") {
        config = config.settle(Settle::Reads(*n));
    }
    config
}

/// A future that ends when SIGTERM or Ctrl-C arrives, or standard input ends.
///
/// The signal handlers are installed by this call, not when the future is
/// first polled: `main` calls it before it prints the "listening" line, so a
/// SIGTERM sent the moment a script has read that line stops the emulator
/// cleanly instead of meeting the default action, which kills it.
fn stopped() -> impl Future<Output = ()> {
    let end_of_input = async {
        let mut stdin = tokio::io::stdin();
        let mut buffer = [0u8; 1024];
        while matches!(stdin.read(&mut buffer).await, Ok(n) if n > 0) {}
    };
    let signals = signals();
    async move {
        tokio::select! {
            _ = end_of_input => {}
            _ = signals => {}
        }
    }
}

/// SIGTERM or SIGINT, their handlers installed now.
#[cfg(unix)]
fn signals() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let wait = |installed: std::io::Result<tokio::signal::unix::Signal>| async move {
        match installed {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let terminate = wait(signal(SignalKind::terminate()));
    let interrupt = wait(signal(SignalKind::interrupt()));
    async move {
        tokio::select! {
            _ = terminate => {}
            _ = interrupt => {}
        }
    }
}

/// Ctrl-C (there is no SIGTERM).
#[cfg(not(unix))]
fn signals() -> impl Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = command().get_matches();
    let emulator = match Emulator::start(config(&matches)).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("truebind-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let stop = stopped();
    println!("listening on http://{}", emulator.addr());
    stop.await;
    emulator.stop().await;
    ExitCode::SUCCESS
}
