//! Output: the JSONL wire format of the output contract and the one place
//! where byte offsets become code-point offsets.
//!
//! One record per line:
//!
//! ```json
//! {"id": "…", "path": "…", "dct": "1990-08-02", "text": "…", "annotations": [
//!   {"id": "T1", "layer": "entity", "label": "GPE", "start": 40, "end": 44,
//!    "text": "Iraq", "kb_id": "IRQ", "canonical": "Iraq", "source": "gazetteer:countries"}]}
//! ```
//!
//! `start`/`end` are Unicode code points, end exclusive. `dct` is present
//! only when a creation time was known. Layer fields: entity `kb_id`,
//! `canonical`; date `value`, `mod`, `interval`; event `cameo` (always,
//! `null` where none fits), `args`, and `polarity` / `modality` when they
//! apply. Annotation ids `T1…` follow output order; event `args` refer to
//! them. The same types read gold files and predictions back ([`eval`]).
//!
//! [`eval`]: crate::eval

use crate::pipeline::Record;
use crate::span::{Attrs, Layer, Span};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A document record on the wire. Strings are `S`: owned when read back
/// (gold files, predictions), borrowed from the [`Record`] when written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WireRecord<S = String> {
    /// Document id.
    pub id: S,
    /// Input path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<S>,
    /// Document creation time used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dct: Option<S>,
    /// The text (optional in gold files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<S>,
    /// Annotations.
    #[serde(default)]
    pub annotations: Vec<WireAnnotation<S>>,
}

/// A calendar interval on the wire.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WireInterval<S = String> {
    /// First day.
    pub start: S,
    /// Day after the last.
    pub end: S,
}

/// An event argument on the wire.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WireArg<S = String> {
    /// Role name.
    pub role: S,
    /// Id of the referenced annotation.
    #[serde(rename = "ref")]
    pub reference: S,
}

/// An annotation on the wire.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WireAnnotation<S = String> {
    /// `T<n>`.
    pub id: S,
    /// Layer name.
    pub layer: S,
    /// Label.
    pub label: S,
    /// Start, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// The covered text.
    pub text: S,
    /// Entity: knowledge-base id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kb_id: Option<S>,
    /// Entity: preferred name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<S>,
    /// Date: TIMEX3 value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<S>,
    /// Date: TIMEX3 mod.
    #[serde(default, rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<S>,
    /// Date: calendar interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<WireInterval<S>>,
    /// Event: CAMEO code (`Some(None)` is written as `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<Option<S>>,
    /// Event: arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<WireArg<S>>>,
    /// Event: `NEG` when negated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polarity: Option<S>,
    /// Event: `HYPOTHETICAL` when not asserted as real.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<S>,
    /// Which gazetteer or rule made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<S>,
}

impl<S> WireAnnotation<S> {
    /// An annotation with no layer fields (they are set by the caller).
    pub fn bare(id: S, layer: S, label: S, start: usize, end: usize, text: S) -> Self {
        WireAnnotation {
            id,
            layer,
            label,
            start,
            end,
            text,
            kb_id: None,
            canonical: None,
            value: None,
            modifier: None,
            interval: None,
            cameo: None,
            args: None,
            polarity: None,
            modality: None,
            source: None,
        }
    }
}

impl WireAnnotation<String> {
    /// An owned annotation with no layer fields (they are set by the
    /// caller).
    pub fn new(
        id: String,
        layer: &str,
        label: &str,
        start: usize,
        end: usize,
        text: String,
    ) -> Self {
        WireAnnotation::bare(id, layer.to_string(), label.to_string(), start, end, text)
    }
}

/// Maps byte offsets of one text to code-point offsets, built in one pass
/// over the text for a sorted set of byte offsets.
pub struct CharMap {
    bytes: Vec<usize>,
    chars: Vec<usize>,
}

impl CharMap {
    /// Builds the map for `offsets` (any order, duplicates allowed).
    ///
    /// # Panics
    /// If an offset is not on a char boundary of `text` (a library bug).
    pub fn new(text: &str, mut offsets: Vec<usize>) -> CharMap {
        offsets.sort_unstable();
        offsets.dedup();
        let mut chars = Vec::with_capacity(offsets.len());
        let mut it = offsets.iter().peekable();
        let mut n = 0;
        for (b, _) in text.char_indices() {
            while let Some(&&o) = it.peek() {
                if o > b {
                    break;
                }
                assert_eq!(o, b, "offset {o} is not on a char boundary");
                chars.push(n);
                it.next();
            }
            n += 1;
        }
        for &o in it {
            assert_eq!(o, text.len(), "offset {o} is past the end of the text");
            chars.push(n);
        }
        CharMap { bytes: offsets, chars }
    }
    /// The code-point offset of a byte offset given to [`CharMap::new`].
    pub fn get(&self, byte: usize) -> usize {
        let i = self.bytes.binary_search(&byte).expect("offset was registered");
        self.chars[i]
    }
}

/// The wire form of a record, borrowing its strings (only annotation ids
/// and argument references are made).
pub fn to_wire(rec: &Record) -> WireRecord<Cow<'_, str>> {
    let text = rec.text.as_str();
    let offsets = rec.annotations.iter().flat_map(|a| [a.span.start, a.span.end]).collect();
    let map = CharMap::new(text, offsets);
    // An argument refers to the annotation of its layer and span (the last
    // one, should two share them), found by binary search over the
    // annotations' keys in order (the pipeline gives them in output order,
    // so the stable sort has nothing to move).
    let mut keys: Vec<((usize, usize, Layer), usize)> = rec
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| ((a.span.start, a.span.end, a.layer), i + 1))
        .collect();
    keys.sort_by_key(|&(k, _)| k);
    let id_of = |layer: Layer, span: Span| -> Option<usize> {
        let k = (span.start, span.end, layer);
        let i = keys.partition_point(|&(x, _)| x <= k);
        (i > 0 && keys[i - 1].0 == k).then(|| keys[i - 1].1)
    };
    let b = Cow::Borrowed;
    let annotations = rec
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut w = WireAnnotation::bare(
                Cow::Owned(format!("T{}", i + 1)),
                b(a.layer.as_str()),
                b(a.label),
                map.get(a.span.start),
                map.get(a.span.end),
                b(a.span.of(text)),
            );
            w.source = Some(b(a.source.as_str()));
            match &a.attrs {
                Attrs::None => {}
                Attrs::Entity { kb_id, canonical } => {
                    w.kb_id = kb_id.as_deref().map(b);
                    w.canonical = canonical.as_deref().map(b);
                }
                Attrs::Date { value, modifier, interval } => {
                    w.value = Some(b(value));
                    w.modifier = modifier.map(b);
                    w.interval = interval
                        .as_ref()
                        .map(|i| WireInterval { start: b(&i.start), end: b(&i.end) });
                }
                Attrs::Event { cameo, args, polarity, modality } => {
                    w.cameo = Some(cameo.map(b));
                    w.args = Some(
                        args.iter()
                            .filter_map(|g| {
                                id_of(g.layer, g.span).map(|n| WireArg {
                                    role: b(g.role.as_str()),
                                    reference: Cow::Owned(format!("T{n}")),
                                })
                            })
                            .collect(),
                    );
                    w.polarity = polarity.map(b);
                    w.modality = modality.map(b);
                }
            }
            w
        })
        .collect();
    WireRecord {
        id: b(&rec.id),
        path: Some(b(&rec.path)),
        dct: rec.dct.as_deref().map(b),
        text: Some(b(text)),
        annotations,
    }
}

/// `rec` as one JSONL line (with its newline), as the binary writes it.
pub fn json_line<S: AsRef<str>>(rec: &WireRecord<S>) -> Vec<u8> {
    // The line is about eight times the text: one allocation, mostly.
    let text = rec.text.as_ref().map_or(0, |t| t.as_ref().len());
    let mut out = Vec::with_capacity(text * 8 + 64);
    write_json(rec, &mut out);
    out.push(b'\n');
    out
}

/// Appends `rec` as one line of JSON (without the newline): the bytes
/// `serde_json::to_vec(rec)` gives, written field by field without the
/// serializer's per-field machinery (writing is a sixth of a run). Strings
/// go through serde_json's own escaping; a test compares the two on the
/// corpus and on records that use every field.
pub fn write_json<S: AsRef<str>>(rec: &WireRecord<S>, out: &mut Vec<u8>) {
    fn string(out: &mut Vec<u8>, s: &str) {
        serde_json::to_writer(&mut *out, s).expect("writing to memory cannot fail");
    }
    fn key(out: &mut Vec<u8>, k: &str) {
        out.push(b',');
        out.push(b'"');
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b"\":");
    }
    fn opt<S: AsRef<str>>(out: &mut Vec<u8>, k: &str, v: &Option<S>) {
        if let Some(v) = v {
            key(out, k);
            string(out, v.as_ref());
        }
    }
    fn number(out: &mut Vec<u8>, n: usize) {
        out.extend_from_slice(n.to_string().as_bytes());
    }
    out.extend_from_slice(b"{\"id\":");
    string(out, rec.id.as_ref());
    opt(out, "path", &rec.path);
    opt(out, "dct", &rec.dct);
    opt(out, "text", &rec.text);
    out.extend_from_slice(b",\"annotations\":[");
    for (i, a) in rec.annotations.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        string(out, a.id.as_ref());
        key(out, "layer");
        string(out, a.layer.as_ref());
        key(out, "label");
        string(out, a.label.as_ref());
        key(out, "start");
        number(out, a.start);
        key(out, "end");
        number(out, a.end);
        key(out, "text");
        string(out, a.text.as_ref());
        opt(out, "kb_id", &a.kb_id);
        opt(out, "canonical", &a.canonical);
        opt(out, "value", &a.value);
        opt(out, "mod", &a.modifier);
        if let Some(iv) = &a.interval {
            key(out, "interval");
            out.extend_from_slice(b"{\"start\":");
            string(out, iv.start.as_ref());
            out.extend_from_slice(b",\"end\":");
            string(out, iv.end.as_ref());
            out.push(b'}');
        }
        if let Some(cameo) = &a.cameo {
            key(out, "cameo");
            match cameo {
                Some(c) => string(out, c.as_ref()),
                None => out.extend_from_slice(b"null"),
            }
        }
        if let Some(args) = &a.args {
            key(out, "args");
            out.push(b'[');
            for (j, g) in args.iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"role\":");
                string(out, g.role.as_ref());
                out.extend_from_slice(b",\"ref\":");
                string(out, g.reference.as_ref());
                out.push(b'}');
            }
            out.push(b']');
        }
        opt(out, "polarity", &a.polarity);
        opt(out, "modality", &a.modality);
        opt(out, "source", &a.source);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Annotation;

    /// Argument references are the ids of the annotations they point at,
    /// whether the record is in output order or not.
    #[test]
    fn argument_references() {
        use crate::span::{Arg, Role};
        let text = "Iraq invaded Kuwait in 1990.";
        let ann = |s: usize, e: usize, layer: Layer, label: &'static str, attrs: Attrs| {
            Annotation { span: Span::new(s, e), layer, label, source: "t".into(), attrs }
        };
        let ent =
            |s, e| ann(s, e, Layer::Entity, "GPE", Attrs::Entity { kb_id: None, canonical: None });
        let arg = |role, layer, s, e| Arg { role, layer, span: Span::new(s, e) };
        let event = ann(
            5,
            12,
            Layer::Event,
            "INVASION",
            Attrs::Event {
                cameo: None,
                args: vec![
                    arg(Role::Actor, Layer::Entity, 0, 4),
                    arg(Role::Target, Layer::Entity, 13, 19),
                    arg(Role::Time, Layer::Date, 23, 27),
                ],
                polarity: None,
                modality: None,
            },
        );
        let date = ann(
            23,
            27,
            Layer::Date,
            "DATE",
            Attrs::Date { value: "1990".into(), modifier: None, interval: None },
        );
        let sorted = vec![ent(0, 4), event.clone(), ent(13, 19), date.clone()];
        let shuffled = vec![date, ent(13, 19), event, ent(0, 4)];
        for anns in [sorted, shuffled] {
            let rec = Record {
                id: "d".into(),
                path: "d".into(),
                text: text.into(),
                dct: None,
                annotations: anns,
            };
            let w = to_wire(&rec);
            let by_id =
                |id: &str| w.annotations.iter().find(|a| a.id == id).map(|a| a.text.to_string());
            let ev = w.annotations.iter().find(|a| a.layer == "event").unwrap();
            let got: Vec<(String, Option<String>)> = ev
                .args
                .iter()
                .flatten()
                .map(|a| (a.role.to_string(), by_id(&a.reference)))
                .collect();
            let want = [("actor", "Iraq"), ("target", "Kuwait"), ("time", "1990")]
                .map(|(r, t)| (r.to_string(), Some(t.to_string())));
            assert_eq!(got, want);
        }
    }

    /// `write_json` writes what serde_json writes: every field, absent
    /// fields, `cameo: null`, and strings that need escaping.
    #[test]
    fn direct_writer_matches_serde() {
        let mut a =
            WireAnnotation::new("T1".into(), "event", "WAR", 3, 9, "q\"\\\n\t\u{1}é€😀".into());
        a.cameo = Some(None);
        a.args = Some(vec![WireArg { role: "actor".into(), reference: "T2".into() }]);
        a.polarity = Some("NEG".into());
        let mut b = WireAnnotation::new("T2".into(), "date", "DATE", 0, 4, "1990".into());
        b.value = Some("1990".into());
        b.modifier = Some("MID".into());
        b.interval = Some(WireInterval { start: "1990-01-01".into(), end: "1991-01-01".into() });
        b.cameo = Some(Some("19".into()));
        b.args = Some(vec![]);
        b.kb_id = Some("X".into());
        b.canonical = Some("Y".into());
        b.modality = Some("HYPOTHETICAL".into());
        b.source = Some("date:year".into());
        let recs = [
            WireRecord {
                id: "d\u{7f}/x".to_string(),
                path: Some("p".into()),
                dct: Some("1990-01-01".into()),
                text: Some("line\r\nnext \u{1f}".into()),
                annotations: vec![a, b],
            },
            WireRecord { id: "e".into(), path: None, dct: None, text: None, annotations: vec![] },
        ];
        for r in &recs {
            let mut got = Vec::new();
            write_json(r, &mut got);
            assert_eq!(String::from_utf8(got).unwrap(), serde_json::to_string(r).unwrap());
        }
    }

    #[test]
    fn char_map_counts_code_points() {
        let t = "é€😀 Iraq";
        let m = CharMap::new(t, vec![t.len(), 0, t.find("Iraq").unwrap()]);
        assert_eq!(m.get(0), 0);
        assert_eq!(m.get(t.find("Iraq").unwrap()), 4);
        assert_eq!(m.get(t.len()), 8);
    }
}
