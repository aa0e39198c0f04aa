//! A deterministic synthetic spec of N actions, for benchmarks.
//!
//! Proportions follow the real specs: per action about seven parameters (two
//! required, one structure, one enum, one list, one constrained string and
//! number), four output fields, a three-row error table (one code listed
//! twice, one vendor-numbered); every fifth action is a paged list action,
//! every third an asynchronous write with a waiter; one shared structure and
//! enum per ten actions. No randomness: the same N always gives the same
//! files.

use std::fmt::Write as _;
use std::path::Path;

/// Writes `spec/<name>/…` with `actions` actions under `root`.
pub fn write_spec(root: &Path, name: &str, actions: usize) -> std::io::Result<()> {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("actions"))?;
    std::fs::write(dir.join("service.yaml"), service(name))?;
    std::fs::write(dir.join("types.yaml"), types(actions))?;
    for i in 0..actions {
        let (file, text) = action(i, actions);
        std::fs::write(dir.join("actions").join(file), text)?;
    }
    Ok(())
}

fn service(name: &str) -> String {
    format!(
        "name: {name}\ntitle: Synthetic benchmark service\ndescription: Generated for benchmarks.\n\
         protocol: zenlayer-json\napi_version: \"2026-04-01\"\nendpoint: https://example.invalid/api\n\
         request_id_field: requestId\n"
    )
}

/// Number of shared structures/enums (one per ten actions, at least one).
fn shared(actions: usize) -> usize {
    actions.div_ceil(10).max(1)
}

/// Number of list actions (every fifth), which also serve as read actions of resources.
fn lists(actions: usize) -> usize {
    actions.div_ceil(5)
}

fn types(actions: usize) -> String {
    let mut s = String::from("structures:\n");
    for k in 0..shared(actions) {
        let _ = write!(
            s,
            "  - name: Shape{k}\n    description: Shared structure {k}.\n    fields:\n\
             \x20     - {{ name: shapeId, type: string, required: true, description: Id. }}\n\
             \x20     - {{ name: label, type: string, description: Label., constraints: {{ max_length: 64 }} }}\n\
             \x20     - {{ name: size, type: integer, description: Size., constraints: {{ min: 1, max: 100 }} }}\n\
             \x20     - {{ name: ratio, type: float, description: Ratio. }}\n\
             \x20     - {{ name: enabled, type: boolean, description: Flag. }}\n\
             \x20     - {{ name: state, type: State{k}, description: State. }}\n"
        );
    }
    s.push_str("enums:\n");
    for k in 0..shared(actions) {
        let _ = write!(
            s,
            "  - name: State{k}\n    description: States {k}.\n    values:\n"
        );
        for v in ["CREATING", "RUNNING", "UPDATING", "DELETING", "FAILED"] {
            let _ = writeln!(s, "      - {{ value: {v}, description: {v}. }}");
        }
    }
    s.push_str("resources:\n");
    for l in 0..lists(actions) {
        let k = (l * 5) % shared(actions);
        let _ = write!(
            s,
            "  - name: Resource{l}\n    status_enum: State{k}\n    status_field: state\n    id_field: shapeId\n\
             \x20   read: {{ action: Action{idx:05}, request: {{ ids: $ids }}, max_ids: 50 }}\n\
             \x20   waiters:\n      - {{ name: Resource{l}Running, in_progress: [CREATING, UPDATING], \
             success: [RUNNING], failure: [FAILED], when_absent: failure }}\n",
            idx = l * 5
        );
    }
    s
}

fn action(i: usize, actions: usize) -> (String, String) {
    let name = format!("Action{i:05}");
    let k = i % shared(actions);
    let list = i.is_multiple_of(5);
    let mut s = format!(
        "name: {name}\nsummary: Synthetic action {i}.\ndescription: Does synthetic thing {i}.\n\
         kind: {}\ninput:\n",
        if list { "read" } else { "write" }
    );
    if list {
        let _ = write!(
            s,
            "  - {{ name: ids, type: \"list<string>\", description: Ids., constraints: {{ max_items: 100 }} }}\n\
             \x20 - {{ name: nameFilter, type: string, description: Filter., constraints: {{ max_length: 255 }} }}\n\
             \x20 - {{ name: state, type: State{k}, description: State filter. }}\n\
             \x20 - {{ name: pageNum, type: integer, description: Page., constraints: {{ min: 1 }}, default: 1 }}\n\
             \x20 - {{ name: pageSize, type: integer, description: Size., constraints: {{ min: 1, max: 100 }}, default: 20 }}\n\
             output:\n  - {{ name: requestId, type: string, description: Request id. }}\n\
             \x20 - {{ name: totalCount, type: integer, description: Total. }}\n\
             \x20 - {{ name: dataSet, type: \"list<Shape{k}>\", description: Records. }}\n\
             paging: {{ page_number: pageNum, page_size: pageSize, total: totalCount, items: dataSet }}\n"
        );
    } else {
        let _ = write!(
            s,
            "  - {{ name: targetId, type: string, required: true, description: Target. }}\n\
             \x20 - {{ name: shape, type: Shape{k}, required: true, description: Shape. }}\n\
             \x20 - {{ name: displayName, type: string, description: Name., constraints: {{ max_length: 255 }} }}\n\
             \x20 - {{ name: bandwidth, type: integer, description: Bandwidth., constraints: {{ min: 1, max: 500 }}, default: 1, unit: Mbps }}\n\
             \x20 - {{ name: state, type: State{k}, description: State. }}\n\
             \x20 - {{ name: tags, type: \"list<string>\", description: Tags., constraints: {{ max_items: 20 }} }}\n\
             \x20 - {{ name: clientToken, type: string, description: Token., constraints: {{ max_length: 64, ascii: true }}, idempotency_token: true }}\n\
             output:\n  - {{ name: requestId, type: string, description: Request id. }}\n\
             \x20 - {{ name: resultId, type: string, description: Result. }}\n\
             \x20 - {{ name: orderNumber, type: string, description: Order. }}\n\
             \x20 - {{ name: shape, type: Shape{k}, description: Shape. }}\n"
        );
        if i.is_multiple_of(3) && lists(actions) > 0 {
            let _ = writeln!(
                s,
                "async: {{ waiter: Resource{}Running }}",
                (i / 5) % lists(actions)
            );
        }
    }
    let _ = write!(
        s,
        "errors:\n  - {{ http_status: 404, code: NOT_FOUND_{i}, description: Missing. }}\n\
         \x20 - {{ http_status: 400, code: BAD_STATE_{i}, message: first, description: Bad. }}\n\
         \x20 - {{ http_status: 400, code: BAD_STATE_{i}, message: second, description: Bad. }}\n\
         \x20 - {{ vendor_status: 7105, code: VENDOR_{i}, description: Vendor. }}\n"
    );
    (format!("{name}.yaml"), s)
}
