//! The offset contract on the bundled corpus and on crafted non-ASCII
//! documents with spans far from offset 0.

use crate::util::*;

#[test]
fn corpus_offsets_hold() {
    let out = run(annotate().arg(root().join("corpus")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out.stdout);
    assert!(!recs.is_empty());
    let n: usize = recs.iter().map(check_offsets).sum();
    assert!(n > 100, "only {n} annotations on the corpus");
}

/// Text in many scripts before the spans, so byte and code-point offsets
/// differ by thousands.
fn crafted() -> String {
    let mut t = String::new();
    t.push_str("Spread the love\n\n");
    for _ in 0..300 {
        t.push_str("Café € 😀 Москва Ελλάδα القاهرة 北京 — ");
    }
    t.push_str("\nIn August 1990 Iraq invaded Kuwait, and the UN Security Council imposed sanctions on Iraq.\n");
    t.push_str("Président Macron’s visit to Algérie — the 1987-88 Soviet arms embargo 🚫 — ended in late 1991.\n");
    t.push_str("Россия (Russia) и Иран: the Iran-Iraq WarThe USSR was a major arms supplier to Syria in the mid-1970s.\n");
    t.push_str("\nLeave a Reply\r\n\r\nYour email address will not be published. Required fields are marked *\r\n");
    t
}

#[test]
fn non_ascii_offsets_far_from_zero() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("crafted.txt");
    std::fs::write(&p, crafted()).unwrap();
    let out = run(annotate().arg(&p));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 1);
    check_offsets(&recs[0]);
    let anns = recs[0]["annotations"].as_array().unwrap();
    let find = |layer: &str, text: &str| {
        anns.iter()
            .find(|a| a["layer"] == layer && a["text"] == text)
            .unwrap_or_else(|| panic!("no {layer} {text:?} in {anns:#?}"))
    };
    // Far from 0 in code points, and further still in bytes.
    let kuwait = find("entity", "Kuwait");
    assert!(kuwait["start"].as_u64().unwrap() > 9000);
    find("date", "August 1990");
    find("date", "1987-88");
    find("date", "late 1991");
    find("date", "the mid-1970s");
    find("entity", "UN Security Council");
    find("entity", "USSR");
    find("entity", "Iran");
    find("event", "invaded");
    find("boilerplate", "Spread the love");
    find("boilerplate", "Leave a Reply");
    // CRLF: the boilerplate span does not swallow the \r.
    let c = find(
        "boilerplate",
        "Your email address will not be published. Required fields are marked *",
    );
    assert!(!c["text"].as_str().unwrap().ends_with('\r'));
}

#[test]
fn entities_in_cyrillic_and_arabic_context_keep_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mixed.txt");
    let text = "Заголовок: Egypt и Israel подписали договор. مصر Egypt signed the Camp David Accords in 1978 — 🕊️ Sadat said.\n";
    std::fs::write(&p, text).unwrap();
    let out = run(annotate().arg(&p));
    let recs = records(&out.stdout);
    check_offsets(&recs[0]);
    let chars: Vec<char> = text.chars().collect();
    let anns = recs[0]["annotations"].as_array().unwrap();
    let egypts: Vec<_> = anns.iter().filter(|a| a["text"] == "Egypt").collect();
    assert_eq!(egypts.len(), 2);
    for e in egypts {
        let s = e["start"].as_u64().unwrap() as usize;
        assert_eq!(chars[s..s + 5].iter().collect::<String>(), "Egypt");
    }
}

/// The JSONL writer writes what serializing the wire record with
/// serde_json writes, byte for byte, on every bundled document (the
/// corpus and its dev and test sets) and the crafted non-ASCII one, with
/// and without sources. (Both sides share the code-point map and the
/// argument ids; `corpus_offsets_hold` and the unit tests of `output`
/// check those on their own.)
#[test]
fn writer_matches_serde_on_the_corpus() {
    use annotate::{ingest, output, pipeline::PipelineBuilder};
    let pipeline = PipelineBuilder::new().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let crafted_file = dir.path().join("crafted.txt");
    std::fs::write(&crafted_file, crafted()).unwrap();
    let mut docs = 0;
    for src in ingest::Sources::new(&[root().join("corpus"), crafted_file]) {
        let src = src.unwrap();
        let doc = ingest::read(&src).unwrap_or_else(|e| panic!("{e}"));
        let rec = pipeline.annotate(&doc);
        for with_source in [true, false] {
            let mut wire = output::to_wire(&rec);
            if !with_source {
                wire.annotations.iter_mut().for_each(|a| a.source = None);
            }
            let mut want = serde_json::to_vec(&wire).unwrap();
            want.push(b'\n');
            assert_eq!(
                String::from_utf8(output::json_line(&rec, with_source)).unwrap(),
                String::from_utf8(want).unwrap(),
                "{} ({with_source})",
                src.id
            );
        }
        docs += 1;
    }
    assert!(docs > 20, "only {docs} documents read");
}
