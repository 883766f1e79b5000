//! The event recognizer on a table of constructions (tests/data/events.jsonl):
//! active and passive voice, nominalizations, prepositional targets,
//! coordination, heading times, references back, negation and hypothesis,
//! and at least one case per event label. Every failure is collected
//! before the test fails; `ANNOTATE_TEST=substring` runs only the cases
//! whose name contains it.

use annotate::ingest::Document;
use annotate::output::to_wire;
use serde_json::Value;

#[test]
fn event_table() {
    let pipeline = annotate::PipelineBuilder::new().build().unwrap();
    let filter = std::env::var("ANNOTATE_TEST").unwrap_or_default();
    let table = include_str!("data/events.jsonl");
    let mut failures = Vec::new();
    let mut labels_seen = std::collections::BTreeSet::new();
    for (n, line) in table.lines().enumerate() {
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("events.jsonl:{}: {e}", n + 1));
        let name = case["name"].as_str().unwrap();
        if !name.contains(&filter) {
            continue;
        }
        let text = case["text"].as_str().unwrap();
        let doc = Document { id: "t".into(), path: "t".into(), text: text.into(), dct: None };
        let record = pipeline.annotate(&doc);
        let rec = to_wire(&record);
        let by_id = |id: &str| {
            rec.annotations
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.text.to_string())
                .unwrap_or_default()
        };
        let events: Vec<_> = rec.annotations.iter().filter(|a| a.layer == "event").collect();
        let found: Vec<String> =
            events.iter().map(|e| format!("{} {:?}", e.label, e.text)).collect();
        for want in case["events"].as_array().unwrap() {
            let label = want["label"].as_str().unwrap();
            labels_seen.insert(label.to_string());
            let trigger = want["trigger"].as_str().unwrap();
            let Some(e) = events.iter().find(|e| e.label == label && e.text == trigger) else {
                failures.push(format!("{name}: no {label} {trigger:?}; found {found:?}"));
                continue;
            };
            for (field, got) in [("polarity", &e.polarity), ("modality", &e.modality)] {
                if want[field].as_str() != got.as_deref() {
                    failures.push(format!(
                        "{name}: {trigger:?} {field} {got:?}, want {:?}",
                        want[field]
                    ));
                }
            }
            let args: Vec<(String, String)> = e
                .args
                .iter()
                .flatten()
                .map(|a| (a.role.to_string(), by_id(&a.reference)))
                .collect();
            for (role, texts) in want["args"].as_object().into_iter().flatten() {
                for t in texts.as_array().unwrap() {
                    let t = t.as_str().unwrap();
                    if !args.iter().any(|(r, x)| r == role && x == t) {
                        failures
                            .push(format!("{name}: {trigger:?} lacks {role} {t:?}; has {args:?}"));
                    }
                }
            }
        }
        for absent in case["absent"].as_array().into_iter().flatten() {
            let l = absent.as_str().unwrap();
            if events.iter().any(|e| e.label == l) {
                failures.push(format!("{name}: unexpected {l}; found {found:?}"));
            }
        }
        for absent in case["absent_triggers"].as_array().into_iter().flatten() {
            let t = absent.as_str().unwrap();
            if events.iter().any(|e| e.text == t) {
                failures.push(format!("{name}: unexpected trigger {t:?}; found {found:?}"));
            }
        }
    }
    if filter.is_empty() {
        for (label, _) in annotate::recognize::event::TAXONOMY {
            if !labels_seen.contains(*label) {
                failures.push(format!("no test case for {label}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}
