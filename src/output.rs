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

/// Maps byte offsets of one text to code-point offsets: the identity for
/// ASCII text, else the identity less the continuation bytes before the
/// offset, from a list of the text's non-ASCII characters (news text has
/// few: quotes, dashes, accented names), found in one pass that skips
/// ASCII eight bytes at a time. A look-up is a binary search of that list.
pub struct CharMap {
    len: usize,
    table: Table,
}

enum Table {
    /// No character is longer than a byte.
    Ascii,
    /// For each non-ASCII character: its byte offset and the continuation
    /// bytes up to its end (its own included), in text order.
    Narrow(Vec<(u32, u32)>),
    /// The same for texts of 4 GiB and more.
    Wide(Vec<(usize, usize)>),
}

/// The non-ASCII characters of `bytes` (UTF-8): each one's offset and the
/// continuation bytes up to its end, as `T`.
fn wide_chars<T>(bytes: &[u8], of: impl Fn(usize) -> T) -> Vec<(T, T)> {
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut out = Vec::new();
    let mut extra = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            if u64::from_le_bytes(chunk.try_into().expect("eight bytes")) & HI == 0 {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        // A lead byte (the text is UTF-8): its high bits give the length.
        let n = b.leading_ones() as usize;
        extra += n - 1;
        out.push((of(i), of(extra)));
        i += n;
    }
    out
}

/// An offset as stored in a [`CharMap`].
trait Offset: Copy {
    fn at(self) -> usize;
}

impl Offset for u32 {
    fn at(self) -> usize {
        self as usize
    }
}

impl Offset for usize {
    fn at(self) -> usize {
        self
    }
}

/// The code-point offset of byte offset `byte` in a text of `len` bytes
/// whose non-ASCII characters are `chars` (see [`wide_chars`]); `None`
/// inside a character or past the end.
fn code_point<T: Offset>(chars: &[(T, T)], len: usize, byte: usize) -> Option<usize> {
    let at = T::at;
    if byte > len {
        return None;
    }
    let k = chars.partition_point(|&(start, _)| at(start) < byte);
    let Some(&(start, extra)) = k.checked_sub(1).map(|k| &chars[k]) else {
        return Some(byte);
    };
    // The character before `byte` ends `extra - extra before it` + 1
    // bytes after its start.
    let before = k.checked_sub(2).map_or(0, |j| at(chars[j].1));
    let end = at(start) + at(extra) - before + 1;
    (byte >= end).then(|| byte - at(extra))
}

impl CharMap {
    /// Builds the map of `text`.
    pub fn new(text: &str) -> CharMap {
        let bytes = text.as_bytes();
        let table = if text.is_ascii() {
            Table::Ascii
        } else if bytes.len() < u32::MAX as usize {
            Table::Narrow(wide_chars(bytes, |n| n as u32))
        } else {
            Table::Wide(wide_chars(bytes, |n| n))
        };
        CharMap { len: bytes.len(), table }
    }

    /// The code-point offset of byte offset `byte` of the text.
    ///
    /// # Panics
    /// If `byte` is not on a char boundary of the text, or past its end (a
    /// library bug).
    #[inline]
    pub fn get(&self, byte: usize) -> usize {
        assert!(byte <= self.len, "offset is past the end of the text");
        let n = match &self.table {
            Table::Ascii => Some(byte),
            Table::Narrow(t) => code_point(t, self.len, byte),
            Table::Wide(t) => code_point(t, self.len, byte),
        };
        n.unwrap_or_else(|| panic!("offset {byte} is not on a char boundary"))
    }
}

/// The wire form of a record, borrowing its strings (only annotation ids
/// and argument references are made).
pub fn to_wire(rec: &Record) -> WireRecord<Cow<'_, str>> {
    let text = rec.text.as_str();
    let map = CharMap::new(text);
    let ids = ArgIds::new(rec);
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
            w.source = Some(b(&a.source));
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
                                ids.get(g.layer, g.span).map(|n| WireArg {
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

/// `rec` as one JSONL line (with its newline), as the binary writes it;
/// without the `source` fields when `with_source` is false.
pub fn json_line(rec: &Record, with_source: bool) -> Vec<u8> {
    let mut out = Vec::new();
    json_line_into(rec, with_source, &mut out);
    out
}

/// Appends the JSONL line of `rec` to `out` (a buffer kept from line to
/// line allocates nothing once it has grown).
pub fn json_line_into(rec: &Record, with_source: bool, out: &mut Vec<u8>) {
    // The line is about eight times the text: one allocation, mostly.
    out.reserve(rec.text.len() * 8 + 64);
    write_record(rec, with_source, out);
    out.push(b'\n');
}

/// `,"name":` as bytes, made at compile time.
macro_rules! key {
    ($k:literal) => {
        concat!(",\"", $k, "\":").as_bytes()
    };
}

/// Appends `rec` as one line of JSON (without the newline): the bytes
/// `serde_json::to_vec(&to_wire(rec))` gives, written straight from the
/// record, without the wire form or the serializer's per-field machinery
/// (the output is about eight times the input, and writing it was a sixth
/// of a run). Tests compare the two on the corpus and on records that use
/// every field and need every escape.
pub fn write_record(rec: &Record, with_source: bool, out: &mut Vec<u8>) {
    let text = rec.text.as_str();
    let map = CharMap::new(text);
    let ids = ArgIds::new(rec);
    out.extend_from_slice(b"{\"id\":");
    string(out, &rec.id);
    out.extend_from_slice(key!("path"));
    string(out, &rec.path);
    if let Some(dct) = &rec.dct {
        out.extend_from_slice(key!("dct"));
        string(out, dct);
    }
    out.extend_from_slice(key!("text"));
    string(out, text);
    out.extend_from_slice(b",\"annotations\":[");
    for (i, a) in rec.annotations.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":\"T");
        number(out, i + 1);
        out.extend_from_slice(b"\",\"layer\":\"");
        // Layer names are fixed lowercase words: nothing to escape.
        out.extend_from_slice(a.layer.as_str().as_bytes());
        out.extend_from_slice(b"\",\"label\":");
        string(out, a.label);
        out.extend_from_slice(key!("start"));
        number(out, map.get(a.span.start));
        out.extend_from_slice(key!("end"));
        number(out, map.get(a.span.end));
        out.extend_from_slice(key!("text"));
        string(out, a.span.of(text));
        match &a.attrs {
            Attrs::None => {}
            Attrs::Entity { kb_id, canonical } => {
                opt(out, key!("kb_id"), kb_id.as_deref());
                opt(out, key!("canonical"), canonical.as_deref());
            }
            Attrs::Date { value, modifier, interval } => {
                out.extend_from_slice(key!("value"));
                string(out, value);
                opt(out, key!("mod"), *modifier);
                if let Some(iv) = interval {
                    out.extend_from_slice(key!("interval"));
                    out.extend_from_slice(b"{\"start\":");
                    string(out, &iv.start);
                    out.extend_from_slice(b",\"end\":");
                    string(out, &iv.end);
                    out.push(b'}');
                }
            }
            Attrs::Event { cameo, args, polarity, modality } => {
                out.extend_from_slice(key!("cameo"));
                match cameo {
                    Some(c) => string(out, c),
                    None => out.extend_from_slice(b"null"),
                }
                out.extend_from_slice(key!("args"));
                out.push(b'[');
                let mut first = true;
                for g in args {
                    let Some(n) = ids.get(g.layer, g.span) else { continue };
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    out.extend_from_slice(b"{\"role\":");
                    string(out, g.role.as_str());
                    out.extend_from_slice(b",\"ref\":\"T");
                    number(out, n);
                    out.extend_from_slice(b"\"}");
                }
                out.push(b']');
                opt(out, key!("polarity"), *polarity);
                opt(out, key!("modality"), *modality);
            }
        }
        if with_source {
            out.extend_from_slice(key!("source"));
            string(out, &a.source);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// The output number (`T<n>`) of the annotation an event argument refers
/// to: the annotation of its layer and span (the last one, should two
/// share them), found by binary search over the annotations' keys in order
/// (the pipeline gives them in output order, so the stable sort has
/// nothing to move).
struct ArgIds {
    keys: Vec<((usize, usize, Layer), usize)>,
}

impl ArgIds {
    fn new(rec: &Record) -> ArgIds {
        let mut keys: Vec<_> = rec
            .annotations
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.span.start, a.span.end, a.layer), i + 1))
            .collect();
        keys.sort_by_key(|&(k, _)| k);
        ArgIds { keys }
    }

    fn get(&self, layer: Layer, span: Span) -> Option<usize> {
        let k = (span.start, span.end, layer);
        let i = self.keys.partition_point(|&(x, _)| x <= k);
        (i > 0 && self.keys[i - 1].0 == k).then(|| self.keys[i - 1].1)
    }
}

fn opt(out: &mut Vec<u8>, key: &[u8], v: Option<&str>) {
    if let Some(v) = v {
        out.extend_from_slice(key);
        string(out, v);
    }
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Whether any of the eight bytes of `w` is one that JSON escapes: a control
/// character (below 0x20), `"` or `\\` (exact: the tests of "some byte
/// below n" and "some byte zero" that are used have no false answers for
/// the word as a whole).
#[inline]
fn needs_escape(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(LO * n) & !x & HI;
    below(w, 0x20) | below(w ^ (LO * u64::from(b'"')), 1) | below(w ^ (LO * u64::from(b'\\')), 1)
        != 0
}

/// How serde_json escapes each byte: 0 for none, else the letter after
/// the backslash (`u` for `\u00XX`).
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// `s` as a JSON string, escaped exactly as serde_json escapes it.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time past runs that need no escape (most text);
        // the last few bytes padded with spaces (which need none), so a
        // short string such as a label takes one test.
        match bytes.get(i..i + 8) {
            Some(chunk) => {
                if !needs_escape(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                    i += 8;
                    continue;
                }
            }
            None => {
                let mut tail = [b' '; 8];
                tail[..bytes.len() - i].copy_from_slice(&bytes[i..]);
                if !needs_escape(u64::from_le_bytes(tail)) {
                    break;
                }
            }
        }
        let b = bytes[i];
        let e = ESCAPE[b as usize];
        if e != 0 {
            out.extend_from_slice(&bytes[run..i]);
            run = i + 1;
            if e == b'u' {
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 15) as usize],
                ]);
            } else {
                out.extend_from_slice(&[b'\\', e]);
            }
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
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

    /// `write_record` writes what serde_json writes of `to_wire`: every
    /// field, absent fields, `cameo: null`, unresolved arguments, strings
    /// that need every escape, non-ASCII offsets; and `--no-source`.
    #[test]
    fn direct_writer_matches_serde() {
        use crate::span::{Arg, Interval, Role};
        let text = "q\"\\\n\t\u{1}\u{8}\u{c}\r\u{1f}\u{7f} é€😀 Iraq war 1990 Москва";
        let at = |t: &str| text.find(t).unwrap();
        let span = |t: &str| Span::new(at(t), at(t) + t.len());
        let ann = |t: &str, layer, label, attrs| Annotation {
            span: span(t),
            layer,
            label,
            source: "src:\"x\"\\".into(),
            attrs,
        };
        let anns = vec![
            ann("q\"\\\n\t\u{1}", Layer::Boilerplate, "SITE", Attrs::None),
            ann(
                "Iraq",
                Layer::Entity,
                "GPE",
                Attrs::Entity { kb_id: Some("IRQ".into()), canonical: Some("Iraq\u{1}".into()) },
            ),
            ann(
                "war",
                Layer::Event,
                "WAR",
                Attrs::Event {
                    cameo: None,
                    args: vec![
                        // No entity has this span: unresolved, left out.
                        Arg { role: Role::Actor, layer: Layer::Entity, span: span("war") },
                        Arg { role: Role::Actor, layer: Layer::Entity, span: span("Iraq") },
                        Arg {
                            role: Role::Target, layer: Layer::Entity, span: span("Москва")
                        },
                        Arg { role: Role::Time, layer: Layer::Date, span: span("1990") },
                    ],
                    polarity: Some("NEG"),
                    modality: Some("HYPOTHETICAL"),
                },
            ),
            ann(
                "war",
                Layer::Event,
                "ATTACK",
                Attrs::Event { cameo: Some("19"), args: vec![], polarity: None, modality: None },
            ),
            ann(
                "1990",
                Layer::Date,
                "DATE",
                Attrs::Date {
                    value: "1990".into(),
                    modifier: Some("MID"),
                    interval: Some(Interval {
                        start: "1990-01-01".into(),
                        end: "1991-01-01".into(),
                    }),
                },
            ),
            ann(
                "1990",
                Layer::Date,
                "DATE",
                Attrs::Date { value: "1990".into(), modifier: None, interval: None },
            ),
            ann("Москва", Layer::Entity, "GPE", Attrs::Entity { kb_id: None, canonical: None }),
        ];
        let recs = [
            Record {
                id: "d\u{7f}/x\"".into(),
                path: "p\\q".into(),
                text: text.into(),
                dct: Some("1990-01-01".into()),
                annotations: anns,
            },
            Record {
                id: "e".into(),
                path: "e".into(),
                text: String::new(),
                dct: None,
                annotations: vec![],
            },
        ];
        for r in &recs {
            for with_source in [true, false] {
                let mut wire = to_wire(r);
                if !with_source {
                    wire.annotations.iter_mut().for_each(|a| a.source = None);
                }
                let mut want = serde_json::to_vec(&wire).unwrap();
                want.push(b'\n');
                assert_eq!(
                    String::from_utf8(json_line(r, with_source)).unwrap(),
                    String::from_utf8(want).unwrap()
                );
            }
        }
    }

    /// The word test agrees with the byte table: every byte value at every
    /// position of a word of plain letters, and pairs of escapes and
    /// high bytes (whose borrows could mislead a careless test).
    #[test]
    fn word_escape_test_agrees_with_table() {
        let check = |w: [u8; 8]| {
            let want = w.iter().any(|&b| ESCAPE[b as usize] != 0);
            assert_eq!(needs_escape(u64::from_le_bytes(w)), want, "{w:?}");
        };
        for pos in 0..8 {
            for b in 0..=255u8 {
                let mut w = *b"abcdefgh";
                w[pos] = b;
                check(w);
                let mut w = [0xffu8; 8];
                w[pos] = b;
                check(w);
                let mut w = [0x20u8; 8];
                w[pos] = b;
                check(w);
            }
        }
        for a in [0u8, 0x1f, 0x20, 0x21, b'"', b'#', b'[', b'\\', b']', 0x7f, 0x80, 0xc3, 0xff] {
            for b in [0u8, 0x1f, 0x20, 0x21, b'"', b'#', b'[', b'\\', b']', 0x7f, 0x80, 0xc3, 0xff]
            {
                for (p, q) in [(0, 1), (3, 4), (6, 7), (0, 7)] {
                    let mut w = *b"mnopqrst";
                    w[p] = a;
                    w[q] = b;
                    check(w);
                }
            }
        }
    }

    /// Every byte value escapes as serde_json escapes it.
    #[test]
    fn escapes_every_byte_as_serde() {
        let all: String = (0u8..128).map(char::from).chain(['é', '\u{2028}', '😀']).collect();
        let mut got = Vec::new();
        string(&mut got, &all);
        assert_eq!(String::from_utf8(got).unwrap(), serde_json::to_string(&all).unwrap());
    }

    /// Strings of every length around the eight-byte step, with a byte to
    /// escape (or a multi-byte character) at every position, against
    /// serde_json: the padded test of the last bytes misses none.
    #[test]
    fn escapes_at_every_position_of_short_strings() {
        for len in 0..=17 {
            for at in 0..len {
                for odd in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "é", "€", "😀", "Ж", "ب"] {
                    let s: String = (0..len).map(|i| if i == at { odd } else { "a" }).collect();
                    let mut got = Vec::new();
                    string(&mut got, &s);
                    assert_eq!(String::from_utf8(got).unwrap(), serde_json::to_string(&s).unwrap());
                }
            }
        }
    }

    /// Every byte offset of texts with one- to four-byte characters, far
    /// from offset 0 too: the map gives the code-point offset at each
    /// char boundary (as `char_indices` counts) and refuses the others.
    #[test]
    fn char_map_agrees_with_char_indices() {
        let long = format!("{}Москва — دمشق €5 😀.", "x".repeat(70_000));
        let texts =
            ["", "a", "é", "😀", "aé", "éa", "€€€", "Iraq’s “war”", "مرحبا", "Ωx😀yé€z", &long];
        for t in texts {
            let m = CharMap::new(t);
            let mut n = 0;
            for b in 0..=t.len() {
                if t.is_char_boundary(b) {
                    assert_eq!(m.get(b), n, "{t:?} at {b}");
                    n += 1;
                } else {
                    let inside = std::panic::catch_unwind(|| m.get(b));
                    assert!(inside.is_err(), "{t:?} at {b} is inside a character");
                }
            }
        }
    }

    #[test]
    fn char_map_counts_code_points() {
        let t = "é€😀 Iraq";
        let m = CharMap::new(t);
        assert_eq!(m.get(0), 0);
        assert_eq!(m.get(t.find("Iraq").unwrap()), 4);
        assert_eq!(m.get(t.len()), 8);
        let a = CharMap::new("Iraq");
        assert_eq!((a.get(0), a.get(4)), (0, 4));
    }
}
