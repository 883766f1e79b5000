//! Helpers: run the built binary, read JSONL back, check the offset
//! contract the way a Python user would (code-point slicing).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// The built binary.
pub fn annotate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_annotate"))
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs and returns the output (whatever the exit status).
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("binary runs")
}

/// Parses JSONL stdout into records.
pub fn records(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// Every annotation satisfies `text[start:end] == annotation.text` in code
/// points, and every arg refers to an entity or date of the same record.
/// Returns the number of annotations checked.
pub fn check_offsets(rec: &Value) -> usize {
    let text: Vec<char> = rec["text"].as_str().expect("text").chars().collect();
    let anns = rec["annotations"].as_array().expect("annotations");
    for a in anns {
        let (s, e) = (a["start"].as_u64().unwrap() as usize, a["end"].as_u64().unwrap() as usize);
        assert!(s < e && e <= text.len(), "bad offsets in {a}");
        let got: String = text[s..e].iter().collect();
        assert_eq!(
            got,
            a["text"].as_str().unwrap(),
            "offset contract broken in {}: {a}",
            rec["id"]
        );
        for arg in a["args"].as_array().into_iter().flatten() {
            let r = arg["ref"].as_str().unwrap();
            let target = anns.iter().find(|b| b["id"] == r).expect("arg ref exists");
            assert!(matches!(target["layer"].as_str(), Some("entity" | "date")), "{arg}");
        }
    }
    anns.len()
}

/// `annotate eval --gold GOLD --pred PRED EXTRA…`.
pub fn eval(
    gold: impl AsRef<std::ffi::OsStr>,
    pred: impl AsRef<std::ffi::OsStr>,
    extra: &[&str],
) -> Output {
    run(annotate().arg("eval").arg("--gold").arg(gold).arg("--pred").arg(pred).args(extra))
}
