//! Dates: resolution against the document creation time, false-positive
//! guards, and the validity of every `value` and `interval` the tool
//! writes on real data (the repository's corpus, and the shared
//! development data when it is present).

use crate::util::{annotate, records, root, run};
use annotate::recognize::date::DateRecognizer;
use annotate::span::{Attrs, Span};
use annotate::timex::{self, Ymd};
use serde_json::Value;
use std::path::PathBuf;

/// (span text, label, value) of every date in `text`.
fn dates(text: &str, dct: Option<&str>) -> Vec<(String, &'static str, String)> {
    let rec = DateRecognizer::new();
    let dct = dct.and_then(Ymd::parse);
    rec.recognize(text, &[Span::new(0, text.len())], dct)
        .into_iter()
        .map(|a| {
            let Attrs::Date { value, .. } = &a.attrs else { panic!("a date has date attrs") };
            (a.span.of(text).to_string(), a.label, value.clone())
        })
        .collect()
}

fn value_of(text: &str, dct: Option<&str>, span: &str) -> String {
    let got = dates(text, dct);
    got.iter()
        .find(|(s, _, _)| s == span)
        .map(|(_, _, v)| v.clone())
        .unwrap_or_else(|| panic!("{span:?} not found in {text:?}: {got:?}"))
}

#[test]
fn deictic_and_relative_resolve_against_the_dct() {
    // 2013-03-22 was a Friday.
    let dct = Some("2013-03-22");
    let cases = [
        ("The minister said yesterday that talks would resume.", "yesterday", "2013-03-21"),
        ("The minister said on Friday that talks would resume.", "Friday", "2013-03-22"),
        ("Protesters gathered on Tuesday.", "Tuesday", "2013-03-19"),
        ("The vote is due next Monday.", "next Monday", "2013-03-25"),
        ("Sales fell last year.", "last year", "2012"),
        ("Sales fell in the past year.", "the past year", "2012"),
        ("Profit rose this week.", "this week", "2013-W12"),
        ("He resigned last month.", "last month", "2013-02"),
        ("The plant opened a year ago.", "a year ago", "2012"),
        ("Earnings rose in the third quarter.", "the third quarter", "2012-Q3"),
        ("Earnings will rise in the current quarter.", "the current quarter", "2013-Q1"),
        ("Inflation rose earlier this year.", "earlier this year", "2013"),
        ("The talks collapsed in December.", "December", "2012-12"),
        ("Officials met on Jan. 2 to prepare.", "Jan. 2", "2013-01-02"),
        ("The summit is set for Oct. 30.", "Oct. 30", "2012-10-30"),
        ("She is now in Cairo.", "now", "PRESENT_REF"),
        ("The economy grew in recent years.", "recent years", "PAST_REF"),
    ];
    for (text, span, want) in cases {
        assert_eq!(value_of(text, dct, span), want, "{text}");
    }
}

#[test]
fn anaphora_resolve_against_the_last_date() {
    let text = "Iraq invaded Kuwait in August 1990. The following year a coalition \
                drove it out; two years later sanctions remained, and that month \
                inspectors arrived.";
    assert_eq!(value_of(text, None, "The following year"), "1991");
    // An offset keeps the granularity of its anchor (here a month).
    assert_eq!(value_of(text, None, "two years later"), "1992-08");
    let text = "Profit rose in the third quarter. It was $4 a share a year earlier.";
    assert_eq!(value_of(text, Some("1989-10-26"), "a year earlier"), "1988-Q3");
    let text = "On Aug. 2, 1990 Iraq invaded. Earlier that day, troops massed.";
    assert_eq!(value_of(text, Some("2014-03-03"), "Earlier that day"), "1990-08-02");
}

#[test]
fn no_dct_leaves_deictic_values_underspecified() {
    assert_eq!(value_of("They met today.", None, "today"), "PRESENT_REF");
    assert_eq!(value_of("They met on Friday.", None, "Friday"), "XXXX-WXX-5");
}

#[test]
fn false_positive_guards() {
    let dct = Some("2013-03-22");
    for text in [
        // numbers, scores, quantities, money
        "The team won 2-1 and scored 2010 points in all.",
        "Some 1500 troops crossed the river.",
        "It cost $1990 in all.",
        "About 1200 people and 2000 vehicles were counted.",
        "The index rose 2013.5 points.",
        "Prices rose 8% annually.",
        // "may" the verb, "March" the verb and the name
        "They may meet again.",
        "Thousands march to the border.",
        "Protesters will March on Washington.",
        // abbreviations that are not dates
        "The Sun reported it. Sat Nam, a singer, agreed.",
        "Jan Kavan of the Czech Republic spoke.",
        // years inside identifiers and names
        "Resolution 1701 passed. Flight 2013 landed. Boeing 1997 flew.",
        "See RFC-2616 and ISO/IEC-2022 for details.",
        // ages and fractions are not durations
        "A 6-year-old boy and a 52-year-old man were rescued.",
        "Iraq imports about three-quarters of its food.",
        "The company earns $500 million a year.",
    ] {
        let got = dates(text, dct);
        assert!(got.is_empty(), "{text:?} gave {got:?}");
    }
}

/// Checks every date annotation of the records: a valid TIMEX3 value, and
/// an interval (if any) of valid ISO dates with start < end that agrees
/// with the value. Returns the number of dates checked.
fn check_dates(recs: &[Value]) -> usize {
    let mut n = 0;
    for rec in recs {
        for a in rec["annotations"].as_array().expect("annotations") {
            if a["layer"] != "date" {
                continue;
            }
            n += 1;
            let v = a["value"].as_str().unwrap_or_else(|| panic!("date without value: {a}"));
            assert!(timex::is_valid_value(v), "invalid TIMEX3 value in {}: {a}", rec["id"]);
            if let Some(iv) = a.get("interval").filter(|i| !i.is_null()) {
                let s = iv["start"].as_str().and_then(Ymd::parse);
                let e = iv["end"].as_str().and_then(Ymd::parse);
                let (Some(s), Some(e)) = (s, e) else {
                    panic!("interval dates are not ISO dates in {}: {a}", rec["id"])
                };
                assert!(s < e, "interval start >= end in {}: {a}", rec["id"]);
                let want = timex::interval_of(v).expect("an interval comes from the value");
                assert_eq!((want.start, want.end), (s, e), "{a}");
            }
        }
    }
    n
}

fn annotate_dir(dir: &std::path::Path) -> Vec<Value> {
    let out = run(annotate().arg("--quiet").arg(dir));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    records(&out.stdout)
}

#[test]
fn values_and_intervals_are_valid_on_the_corpus() {
    let recs = annotate_dir(&root().join("corpus"));
    assert!(!recs.is_empty());
    let n = check_dates(&recs);
    assert!(n > 100, "only {n} dates on the corpus");
}

#[test]
fn values_and_intervals_are_valid_on_the_development_data() {
    let candidates: Vec<PathBuf> = [
        root().join("../shared/data/tempeval3-train"),
        PathBuf::from("/work/shared/data/tempeval3-train"),
    ]
    .into_iter()
    .collect();
    let Some(dir) = candidates.iter().find(|d| d.is_dir()) else {
        println!("note: no shared development data (../shared/data/tempeval3-train); skipped");
        return;
    };
    let recs = annotate_dir(dir);
    assert!(recs.len() > 200, "{} documents", recs.len());
    let n = check_dates(&recs);
    assert!(n > 1000, "only {n} dates on the development data");
}
