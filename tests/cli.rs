//! The command line as users meet it: bad inputs, thread counts, closed
//! pipes, users' gazetteers.

use crate::util::*;
use std::io::Read;
use std::process::Stdio;

#[test]
fn output_is_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    // Enough documents for several batches per thread.
    let corpus: Vec<_> = walk(&root().join("corpus"));
    for i in 0..150 {
        let src = &corpus[i % corpus.len()];
        std::fs::write(dir.path().join(format!("{i:04}.txt")), std::fs::read(src).unwrap())
            .unwrap();
    }
    let one = run(annotate().arg(dir.path()).args(["--threads", "1"]));
    let two = run(annotate().arg(dir.path()).args(["--threads", "2"]));
    assert!(one.status.success() && two.status.success());
    assert_eq!(records(&one.stdout).len(), 150);
    assert!(one.stdout == two.stdout, "--threads 1 and --threads 2 differ");
    // Documents come out sorted by path.
    let ids: Vec<String> =
        records(&one.stdout).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    annotate::ingest::walk(dir, &["txt"], &mut v, &mut Vec::new());
    v.sort();
    v
}

#[test]
fn bad_inputs_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a-good.txt"), "Iraq invaded Kuwait in 1990.\n").unwrap();
    std::fs::write(d.join("b-empty.txt"), "").unwrap();
    std::fs::write(d.join("c-latin1.txt"), b"Caf\xe9 in Iraq\n").unwrap();
    std::fs::write(d.join("d-binary.txt"), b"\x7fELF\x00\x01\x02").unwrap();
    std::fs::write(d.join("e-crlf.txt"), "Title\r\nSyria and Iraq signed a treaty in 1972.\r\n")
        .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("missing-target"), d.join("f-dangling.txt")).unwrap();
    let out = run(annotate().arg(d));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    for (name, what) in [
        ("b-empty.txt", "empty"),
        ("c-latin1.txt", "invalid UTF-8 at byte 3 (line 1"),
        ("d-binary.txt", "binary"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(name) && l.contains(what)),
            "no message for {name} ({what}) in:\n{err}"
        );
    }
    #[cfg(unix)]
    assert!(
        err.lines().any(|l| l.contains("f-dangling.txt") && l.contains("no such file")),
        "{err}"
    );
    let recs = records(&out.stdout);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["a-good", "e-crlf"]);
    for r in &recs {
        check_offsets(r);
    }
    // CRLF is kept in the text; spans index it as it stands.
    assert!(recs[1]["text"].as_str().unwrap().contains("\r\n"));
    let treaty = recs[1]["annotations"].as_array().unwrap().iter().any(|a| a["text"] == "treaty");
    assert!(treaty);
}

#[test]
fn missing_path_is_an_error_naming_it() {
    let out =
        run(annotate().arg("no/such/dir").arg(root().join("corpus/000_2b902e6f4f73920c.txt")));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir: no such file or directory"));
    assert_eq!(records(&out.stdout).len(), 1);
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read(root().join("corpus/000_2b902e6f4f73920c.txt")).unwrap();
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("{i:04}.txt")), &seed).unwrap();
    }
    let mut child =
        annotate().arg(dir.path()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut buf = [0u8; 100];
    child.stdout.as_mut().unwrap().read_exact(&mut buf).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}, stderr {err}", out.status);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn user_gazetteer_adds_names_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, "The Ruritanian army entered Zenda in 1921.\n").unwrap();
    let gaz = dir.path().join("mine.tsv");
    std::fs::write(
        &gaz,
        "# my list\nZenda\tGPE\tfict:zenda\tZenda\nRuritanian\tNORP\tfict:rur\tRuritania\n",
    )
    .unwrap();
    let out = run(annotate().arg(&doc).arg("--gazetteer").arg(&gaz));
    assert!(out.status.success());
    let recs = records(&out.stdout);
    let anns = recs[0]["annotations"].as_array().unwrap();
    let z = anns.iter().find(|a| a["text"] == "Zenda").expect("user entry found");
    assert_eq!(z["kb_id"], "fict:zenda");
    assert_eq!(z["source"], "gazetteer:user:mine");

    std::fs::write(&gaz, "Zenda\tGPE\tfict:zenda\tZenda\nBroken line without tabs\n").unwrap();
    let out = run(annotate().arg(&doc).arg("--gazetteer").arg(&gaz));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mine.tsv:2: expected 4 tab-separated columns"), "{err}");
}

#[test]
fn dct_option_resolves_relative_dates() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("wire.txt");
    std::fs::write(&doc, "Officials met yesterday and will meet again on Friday.\n").unwrap();
    let out = run(annotate().arg(&doc).args(["--dct", "2013-03-22"]));
    let recs = records(&out.stdout);
    assert_eq!(recs[0]["dct"], "2013-03-22");
    let anns = recs[0]["annotations"].as_array().unwrap();
    let v = |t: &str| anns.iter().find(|a| a["text"] == t).map(|a| a["value"].clone());
    assert_eq!(v("yesterday").unwrap(), "2013-03-21");
    assert_eq!(v("Friday").unwrap(), "2013-03-22");
}

#[test]
fn jsonl_input_from_a_file_and_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("docs.jsonl");
    std::fs::write(
        &p,
        concat!(
            "{\"id\": \"w1\", \"text\": \"Iraq invaded Kuwait yesterday.\", \"dct\": \"1990-08-03T09:00\"}\n",
            "not json\n",
            "\n",
            "{\"text\": \"Syria signed a treaty on Friday.\"}\n",
        ),
    )
    .unwrap();
    let out = run(annotate().arg(&p));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("docs.jsonl:2: not a document object"), "{err}");
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], "w1");
    assert_eq!(recs[0]["dct"], "1990-08-03");
    let y = recs[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["text"] == "yesterday")
        .unwrap();
    assert_eq!(y["value"], "1990-08-02");
    assert_eq!(recs[1]["id"], "docs:4", "documents without id are named file:line");

    let mut child =
        annotate().arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\": \"s\", \"text\": \"The 1970s saw war.\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let recs = records(&out.stdout);
    assert_eq!(recs[0]["id"], "s");
    for r in &recs {
        check_offsets(r);
    }
}

#[test]
fn timeml_in_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let golddir = dir.path().join("gold");
    std::fs::create_dir(&golddir).unwrap();
    let tml = golddir.join("doc1.tml");
    std::fs::write(
        &tml,
        "<?xml version=\"1.0\" ?>\n<TimeML>\n<DOCID>doc1</DOCID>\n<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-08-07\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">August 7, 1998</TIMEX3></DCT>\n<TEXT>\nOfficials said <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-06\">yesterday</TIMEX3> that talks &amp; visits continue.\n</TEXT>\n</TimeML>\n",
    )
    .unwrap();
    let out = run(annotate().arg(&tml));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out.stdout);
    assert_eq!(recs[0]["dct"], "1998-08-07");
    assert!(recs[0]["text"].as_str().unwrap().contains("talks & visits"));
    let y = recs[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["text"] == "yesterday")
        .unwrap();
    assert_eq!(y["value"], "1998-08-06");
    // Scored against the TimeML itself: the date layer only, TempEval style.
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(&pred, &out.stdout).unwrap();
    let ev = eval(&golddir, &pred, &["--require", "tempeval.value_f1=1.0"]);
    let table = String::from_utf8_lossy(&ev.stdout);
    assert!(ev.status.success(), "{table}");
    assert!(
        !table.contains("entity       strict"),
        "only dates are scored against TimeML:\n{table}"
    );
    // Inline TIMEX3 output.
    let outdir = dir.path().join("out");
    let w = run(annotate().arg(&tml).args(["--format", "timeml", "--out-dir"]).arg(&outdir));
    assert!(w.status.success());
    let xml = std::fs::read_to_string(outdir.join("doc1.tml")).unwrap();
    assert!(
        xml.contains("<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-06\">yesterday</TIMEX3>"),
        "{xml}"
    );
    assert!(xml.contains("talks &amp; visits"));
}

#[test]
fn spacy_patterns_file_as_gazetteer() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(
        &doc,
        "Acme Corp opened an office in new york and in NEW YORK; acme corp did not.\n",
    )
    .unwrap();
    let pats = dir.path().join("ruler.jsonl");
    std::fs::write(
        &pats,
        concat!(
            "{\"label\": \"ORG\", \"pattern\": \"Acme Corp\", \"id\": \"org:acme\"}\n",
            "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"new\"}, {\"LOWER\": \"york\"}], \"id\": \"geonames:5128581\"}\n",
        ),
    )
    .unwrap();
    let out =
        run(annotate().arg(&doc).arg("--gazetteer").arg(&pats).arg("--no-bundled-gazetteers"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out.stdout);
    check_offsets(&recs[0]);
    let ents: Vec<(String, String)> = recs[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["layer"] == "entity")
        .map(|a| {
            (a["text"].as_str().unwrap().to_string(), a["kb_id"].as_str().unwrap().to_string())
        })
        .collect();
    // Phrase patterns match in exact case (spaCy's ORTH), LOWER in any case.
    assert_eq!(
        ents,
        vec![
            ("Acme Corp".to_string(), "org:acme".to_string()),
            ("new york".to_string(), "geonames:5128581".to_string()),
            ("NEW YORK".to_string(), "geonames:5128581".to_string()),
        ]
    );
    std::fs::write(&pats, "{\"label\": \"GPE\", \"pattern\": [{\"LEMMA\": \"york\"}]}\n").unwrap();
    let out = run(annotate().arg(&doc).arg("--gazetteer").arg(&pats));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ruler.jsonl:1: token 0: unsupported attribute \"LEMMA\""), "{err}");
}

/// Findings of a review: inputs that panicked, leaked out of --out-dir or
/// depended on unrelated text.
#[test]
fn review_regressions() {
    let dir = tempfile::tempdir().unwrap();
    // Unicode lowercasing changes byte lengths ("İ"): no panic, offsets hold.
    let p = dir.path().join("i.txt");
    std::fs::write(
        &p,
        "The attack İ by éKurdish militants on Turkey.\nIraq didn’t invade Kuwait.\n",
    )
    .unwrap();
    let out = run(annotate().arg(&p));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out.stdout);
    check_offsets(&recs[0]);
    let anns = recs[0]["annotations"].as_array().unwrap();
    let invade = anns.iter().find(|a| a["text"] == "invade").unwrap();
    assert_eq!(invade["polarity"], "NEG", "didn’t negates");
    let attack = anns.iter().find(|a| a["text"] == "attack").unwrap();
    assert!(attack.get("polarity").is_none(), "no negation leaks from another sentence");
    // An id cannot write outside --out-dir.
    let j = dir.path().join("esc.jsonl");
    std::fs::write(&j, "{\"id\": \"../../escaped\", \"text\": \"Iraq invaded Kuwait in 1990.\"}\n")
        .unwrap();
    let outdir = dir.path().join("out");
    let o = run(annotate().arg(&j).args(["--format", "timeml", "--out-dir"]).arg(&outdir));
    assert!(o.status.success());
    assert!(outdir.join("escaped.tml").exists());
    assert!(!dir.path().join("..").join("escaped.tml").exists());
    // A very long line without spaces stays fast (linear look-backs).
    let long = dir.path().join("long.txt");
    std::fs::write(&long, "Iraq".repeat(100_000)).unwrap();
    let o = run(annotate().arg(&long));
    assert!(o.status.success());
}
