//! Docs pages are read as the generator reads spec files: a FIFO that blocks or a
//! device that never ends is refused at once, with a message naming it, so an
//! import over a wrong `--page` argument cannot hang.

mod zenlayer_common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use zenlayer_common::vendor;

/// The import's error message for `page`, or a failure when it takes longer than 20 s.
fn import_error(page: PathBuf) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    let spec_dir = tmp.path().to_path_buf();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = truebind_importer::zenlayer::run(&truebind_importer::zenlayer::Options {
            pages: vec![page],
            spec_dir,
            service: None,
        })
        .map(|_| ())
        .map_err(|e| e.to_string());
        let _ = send.send(result);
    });
    match receive.recv_timeout(Duration::from_secs(20)) {
        Ok(Err(message)) => message,
        Ok(Ok(())) => panic!("the import succeeded"),
        Err(_) => panic!("the import is still reading after 20 s"),
    }
}

#[test]
fn a_fifo_as_a_page_is_refused_without_waiting_on_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fifo = tmp.path().join("CreatePort.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let message = import_error(fifo);
    assert!(
        message.contains("CreatePort.md") && message.contains("FIFO"),
        "{message}"
    );
}

#[test]
fn a_device_as_a_page_is_refused_without_reading_it() {
    let message = import_error(Path::new("/dev/zero").to_path_buf());
    assert!(
        message.contains("/dev/zero") && message.contains("device"),
        "{message}"
    );
}

#[test]
fn a_missing_page_is_an_error_naming_it() {
    let page = vendor().join("zenlayer-sdn/pages/NoSuchAction.en.current.md");
    let message = import_error(page);
    assert!(message.contains("NoSuchAction.en.current.md"), "{message}");
}
