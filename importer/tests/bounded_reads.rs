//! Vendor and curation files are read as the generator reads spec files: a device that
//! never ends or a FIFO that blocks is refused at once, with a message naming it.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use truebind_importer::alibaba;

/// The import's error message, or a failure when it takes longer than a few seconds.
fn import_error(options: alibaba::Options) -> String {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = alibaba::run(&options)
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
fn a_device_as_metadata_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut options = common::options(tmp.path(), &["DescribeVpcs"]);
    options.metadata = Path::new("/dev/zero").to_path_buf();
    let message = import_error(options);
    assert!(
        message.contains("/dev/zero") && message.contains("device"),
        "{message}"
    );
}

#[test]
fn a_fifo_as_curation_is_refused_without_waiting_on_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let curation = tmp.path().join("alibaba-vpc/curation");
    std::fs::create_dir_all(&curation).expect("mkdir");
    let fifo = curation.join("service.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let message = import_error(common::options(tmp.path(), &["DescribeVpcs"]));
    assert!(
        message.contains("service.yaml") && message.contains("FIFO"),
        "{message}"
    );
}
