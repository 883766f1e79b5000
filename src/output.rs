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
use crate::span::{Annotation, Attrs, Layer, Role, Span};
use crate::timex::Ymd;
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
    let k = chars.partition_point(|&(start, _)| start.at() < byte);
    code_point_after(chars, len, byte, k)
}

/// [`code_point`] with `k`, the number of characters of `chars` that
/// start before `byte`, known.
fn code_point_after<T: Offset>(
    chars: &[(T, T)],
    len: usize,
    byte: usize,
    k: usize,
) -> Option<usize> {
    let at = T::at;
    if byte > len {
        return None;
    }
    let Some(&(start, extra)) = k.checked_sub(1).map(|k| &chars[k]) else {
        return Some(byte);
    };
    // The character before `byte` ends `extra - extra before it` + 1
    // bytes after its start.
    let before = k.checked_sub(2).map_or(0, |j| at(chars[j].1));
    let end = at(start) + at(extra) - before + 1;
    (byte >= end).then(|| byte - at(extra))
}

/// [`code_point`] starting from `k`, the count of the last look-up (kept
/// up to date): a few steps to an offset near the last one, a binary
/// search past them.
fn code_point_near<T: Offset>(
    chars: &[(T, T)],
    len: usize,
    byte: usize,
    k: &mut usize,
) -> Option<usize> {
    const STEPS: usize = 8;
    let before = |j: usize| chars[j].0.at() < byte;
    let mut j = (*k).min(chars.len());
    let mut steps = 0;
    while j < chars.len() && before(j) {
        j += 1;
        steps += 1;
        if steps == STEPS {
            j += chars[j..].partition_point(|&(start, _)| start.at() < byte);
            break;
        }
    }
    while j > 0 && !before(j - 1) {
        j -= 1;
        steps += 1;
        if steps == STEPS {
            j = chars[..j].partition_point(|&(start, _)| start.at() < byte);
            break;
        }
    }
    *k = j;
    code_point_after(chars, len, byte, j)
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

    /// Look-ups that start where the last one ended, for offsets that
    /// come mostly in order (the starts of annotations in output order,
    /// or their ends).
    fn cursor(&self) -> Cursor<'_> {
        let mut c = Cursor { map: self, k: 0, lo: 0, hi: 0, extra: 0 };
        c.window();
        c
    }
}

/// [`CharMap::get`] from where the last look-up ended: offsets in the run
/// of ASCII between the last character before it and the next (`lo..=hi`)
/// are answered at once.
struct Cursor<'a> {
    map: &'a CharMap,
    /// The characters that start before the last offset looked up.
    k: usize,
    /// The run of ASCII after the first `k` characters, ends included.
    lo: usize,
    hi: usize,
    /// The continuation bytes before `lo`.
    extra: usize,
}

/// The run of ASCII after the first `k` of `chars` in a text of `len`
/// bytes, ends included, and the continuation bytes before it.
fn ascii_run<T: Offset>(chars: &[(T, T)], len: usize, k: usize) -> (usize, usize, usize) {
    let hi = chars.get(k).map_or(len, |c| c.0.at());
    let Some(&(start, extra)) = k.checked_sub(1).map(|k| &chars[k]) else {
        return (0, hi, 0);
    };
    let before = k.checked_sub(2).map_or(0, |j| chars[j].1.at());
    (start.at() + extra.at() - before + 1, hi, extra.at())
}

impl Cursor<'_> {
    /// [`CharMap::get`], with its panics.
    #[inline]
    fn get(&mut self, byte: usize) -> usize {
        if self.lo <= byte && byte <= self.hi {
            return byte - self.extra;
        }
        let map = self.map;
        assert!(byte <= map.len, "offset is past the end of the text");
        let n = match &map.table {
            Table::Ascii => Some(byte),
            Table::Narrow(t) => code_point_near(t, map.len, byte, &mut self.k),
            Table::Wide(t) => code_point_near(t, map.len, byte, &mut self.k),
        };
        let n = n.unwrap_or_else(|| panic!("offset {byte} is not on a char boundary"));
        self.window();
        n
    }

    /// Sets the run of ASCII after the first `k` characters.
    fn window(&mut self) {
        let map = self.map;
        (self.lo, self.hi, self.extra) = match &map.table {
            Table::Ascii => (0, map.len, 0),
            Table::Narrow(t) => ascii_run(t, map.len, self.k),
            Table::Wide(t) => ascii_run(t, map.len, self.k),
        };
    }
}

/// The wire form of a record, borrowing its strings (only annotation ids
/// and argument references are made).
pub fn to_wire(rec: &Record) -> WireRecord<Cow<'_, str>> {
    let text = rec.text.as_str();
    let map = CharMap::new(text);
    let mut ids = ArgIds::Unbuilt;
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
                    w.interval = interval.map(|i| WireInterval {
                        start: Cow::Owned(i.start.iso()),
                        end: Cow::Owned(i.end.iso()),
                    });
                }
                Attrs::Event { cameo, args, polarity, modality } => {
                    w.cameo = Some(cameo.map(b));
                    w.args = Some(
                        args.iter()
                            .filter_map(|g| {
                                ids.get(rec, g.layer, g.span).map(|n| WireArg {
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
    // The line is about eight times the text: one allocation, mostly. An
    // empty buffer too small is replaced, not grown (growing would copy
    // its old capacity).
    let need = rec.text.len() * 8 + 64;
    if out.is_empty() && out.capacity() < need {
        *out = Vec::with_capacity(need);
    } else {
        out.reserve(need);
    }
    write_record(rec, with_source, out);
    out.push(b'\n');
}

/// `","name":"`: the end of the string before, a key, and the opening
/// quote of its string value, made at compile time.
macro_rules! skey {
    ($k:literal) => {
        concat!("\",\"", $k, "\":\"").as_bytes()
    };
}

/// Appends `rec` as one line of JSON (without the newline): the bytes
/// `serde_json::to_vec(&to_wire(rec))` gives, written straight from the
/// record, without the wire form or the serializer's per-field machinery
/// (the output is about eight times the input, and writing it was a sixth
/// of a run). Fixed parts are written as whole literals with the quotes
/// around the strings next to them. Tests compare the two on the corpus
/// and on records that use every field and need every escape.
pub fn write_record(rec: &Record, with_source: bool, out: &mut Vec<u8>) {
    let text = rec.text.as_str();
    let map = CharMap::new(text);
    let (mut starts, mut ends) = (map.cursor(), map.cursor());
    let mut ids = ArgIds::Unbuilt;
    out.extend_from_slice(b"{\"id\":\"");
    escaped(out, &rec.id);
    out.extend_from_slice(skey!("path"));
    escaped(out, &rec.path);
    if let Some(dct) = &rec.dct {
        out.extend_from_slice(skey!("dct"));
        escaped(out, dct);
    }
    out.extend_from_slice(skey!("text"));
    escaped(out, text);
    out.extend_from_slice(b"\",\"annotations\":[");
    for (i, a) in rec.annotations.iter().enumerate() {
        out.extend_from_slice(if i > 0 { b",{\"id\":\"T" } else { b"{\"id\":\"T" });
        number(out, i + 1);
        // Layer names are fixed lowercase words: nothing to escape.
        out.extend_from_slice(match a.layer {
            Layer::Boilerplate => b"\",\"layer\":\"boilerplate\",\"label\":\"",
            Layer::Date => b"\",\"layer\":\"date\",\"label\":\"",
            Layer::Entity => b"\",\"layer\":\"entity\",\"label\":\"",
            Layer::Event => b"\",\"layer\":\"event\",\"label\":\"",
        });
        escaped(out, a.label);
        out.extend_from_slice(b"\",\"start\":");
        number(out, starts.get(a.span.start));
        out.extend_from_slice(b",\"end\":");
        number(out, ends.get(a.span.end));
        out.extend_from_slice(b",\"text\":\"");
        escaped(out, a.span.of(text));
        match &a.attrs {
            Attrs::None => out.push(b'"'),
            Attrs::Entity { kb_id, canonical } => {
                opt(out, skey!("kb_id"), kb_id.as_deref());
                opt(out, skey!("canonical"), canonical.as_deref());
                out.push(b'"');
            }
            Attrs::Date { value, modifier, interval } => {
                out.extend_from_slice(skey!("value"));
                escaped(out, value);
                opt(out, skey!("mod"), *modifier);
                if let Some(iv) = interval {
                    out.extend_from_slice(b"\",\"interval\":{\"start\":\"");
                    iso(out, iv.start);
                    out.extend_from_slice(skey!("end"));
                    iso(out, iv.end);
                    out.extend_from_slice(b"\"}");
                } else {
                    out.push(b'"');
                }
            }
            Attrs::Event { cameo, args, polarity, modality } => {
                match cameo {
                    Some(c) => {
                        out.extend_from_slice(skey!("cameo"));
                        escaped(out, c);
                        out.extend_from_slice(b"\",\"args\":[");
                    }
                    None => out.extend_from_slice(b"\",\"cameo\":null,\"args\":["),
                }
                let mut first = true;
                for g in args {
                    let Some(n) = ids.get(rec, g.layer, g.span) else { continue };
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    // Role names are fixed lowercase words too.
                    out.extend_from_slice(match g.role {
                        Role::Actor => b"{\"role\":\"actor\",\"ref\":\"T",
                        Role::Target => b"{\"role\":\"target\",\"ref\":\"T",
                        Role::Participant => b"{\"role\":\"participant\",\"ref\":\"T",
                        Role::Time => b"{\"role\":\"time\",\"ref\":\"T",
                    });
                    number(out, n);
                    out.extend_from_slice(b"\"}");
                }
                out.push(b']');
                if let Some(p) = polarity {
                    out.extend_from_slice(b",\"polarity\":\"");
                    escaped(out, p);
                    out.push(b'"');
                }
                if let Some(m) = modality {
                    out.extend_from_slice(b",\"modality\":\"");
                    escaped(out, m);
                    out.push(b'"');
                }
            }
        }
        if with_source {
            out.extend_from_slice(b",\"source\":\"");
            escaped(out, &a.source);
            out.extend_from_slice(b"\"}");
        } else {
            out.push(b'}');
        }
    }
    out.extend_from_slice(b"]}");
}

/// The output number (`T<n>`) of the annotation an event argument refers
/// to: the annotation of its layer and span (the last one, should two
/// share them), found by binary search over the annotations' keys in
/// order. The pipeline gives the annotations in that order, so the search
/// runs on them directly; a list of keys stably sorted is made only for
/// records in another order. Nothing is made for records without
/// arguments.
enum ArgIds {
    /// Not needed yet.
    Unbuilt,
    /// The annotations are in key order.
    InOrder,
    /// The keys sorted, with each one's output number.
    Sorted(Vec<((usize, usize, Layer), usize)>),
}

impl ArgIds {
    fn key(a: &Annotation) -> (usize, usize, Layer) {
        (a.span.start, a.span.end, a.layer)
    }

    fn get(&mut self, rec: &Record, layer: Layer, span: Span) -> Option<usize> {
        let anns = &rec.annotations;
        if let ArgIds::Unbuilt = self {
            *self = if anns.is_sorted_by_key(ArgIds::key) {
                ArgIds::InOrder
            } else {
                let mut keys: Vec<_> =
                    anns.iter().enumerate().map(|(i, a)| (ArgIds::key(a), i + 1)).collect();
                keys.sort_by_key(|&(k, _)| k);
                ArgIds::Sorted(keys)
            };
        }
        let k = (span.start, span.end, layer);
        match self {
            ArgIds::Unbuilt => unreachable!("built above"),
            ArgIds::InOrder => {
                let i = anns.partition_point(|a| ArgIds::key(a) <= k);
                (i > 0 && ArgIds::key(&anns[i - 1]) == k).then_some(i)
            }
            ArgIds::Sorted(keys) => {
                let i = keys.partition_point(|&(x, _)| x <= k);
                (i > 0 && keys[i - 1].0 == k).then(|| keys[i - 1].1)
            }
        }
    }
}

/// `key` (which ends with an opening quote) and `v` escaped, if `v` is
/// there.
fn opt(out: &mut Vec<u8>, key: &[u8], v: Option<&str>) {
    if let Some(v) = v {
        out.extend_from_slice(key);
        escaped(out, v);
    }
}

/// `day` as `YYYY-MM-DD` (digits and dashes: nothing to escape), as
/// [`Ymd::iso`] writes it.
fn iso(out: &mut Vec<u8>, day: Ymd) {
    match day.iso_fixed() {
        Some(ten) => out.extend_from_slice(&ten),
        None => out.extend_from_slice(day.iso().as_bytes()),
    }
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// The bytes of `w` that JSON escapes (a control character below 0x20,
/// `"` or `\\`), as the high bit of each such byte; only the lowest set
/// bit is exact (the borrow of a matching byte can mark the next one), so
/// the word has one exactly when the mask is not zero, and the lowest set
/// bit marks the first.
#[inline]
fn escape_mask(w: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(LO * n) & !x & HI;
    below(w, 0x20) | below(w ^ (LO * u64::from(b'"')), 1) | below(w ^ (LO * u64::from(b'\\')), 1)
}

/// Whether any of the eight bytes of `w` is one that JSON escapes.
#[cfg(test)]
fn needs_escape(w: u64) -> bool {
    escape_mask(w) != 0
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

fn word(bytes: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"))
}

/// The offset of the first byte at `from` or after that JSON escapes:
/// eight bytes at a time past runs that need none (most text), the last
/// few in the word that ends the string (the bytes before `from` in it
/// taken as spaces, which need none), and a string shorter than a word
/// byte by byte.
#[inline]
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let len = bytes.len();
    let mut i = from;
    while i + 8 <= len {
        let m = escape_mask(word(bytes, i));
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if i == len {
        return None;
    }
    if len < 8 {
        return (i..len).find(|&j| ESCAPE[bytes[j] as usize] != 0);
    }
    let last = len - 8;
    // Bytes `last..i` are before `from` or seen already: spaces.
    let seen = u64::MAX >> (64 - 8 * (i - last));
    let w = (word(bytes, last) & !seen) | (0x2020_2020_2020_2020 & seen);
    let m = escape_mask(w);
    (m != 0).then(|| last + (m.trailing_zeros() / 8) as usize)
}

/// Appends `bytes` and returns true if it is short (up to 24 bytes:
/// labels, sources, names, the text of most annotations) and needs no
/// escape. The words that cover it are loaded whole (overlapping), tested
/// at once and written whole, the buffer then cut back to the string's
/// end: no copy of a length known only at run time.
#[inline(always)]
fn short_and_clean(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let n = bytes.len();
    let end = out.len() + n;
    // The word holding bytes `n - 8..n`, moved down so that byte `from`
    // comes first (nothing after the string's end).
    let tail = |from: usize| word(bytes, n - 8).checked_shr(8 * (from + 8 - n) as u32).unwrap_or(0);
    if n >= 16 {
        if n > 24 {
            return false;
        }
        let (a, b, c) = (word(bytes, 0), word(bytes, 8), word(bytes, n - 8));
        if escape_mask(a) | escape_mask(b) | escape_mask(c) != 0 {
            return false;
        }
        let mut w = [0u8; 24];
        w[..8].copy_from_slice(&a.to_le_bytes());
        w[8..16].copy_from_slice(&b.to_le_bytes());
        w[16..].copy_from_slice(&tail(16).to_le_bytes());
        out.extend_from_slice(&w);
    } else if n >= 8 {
        let (a, c) = (word(bytes, 0), word(bytes, n - 8));
        if escape_mask(a) | escape_mask(c) != 0 {
            return false;
        }
        let mut w = [0u8; 16];
        w[..8].copy_from_slice(&a.to_le_bytes());
        w[8..].copy_from_slice(&tail(8).to_le_bytes());
        out.extend_from_slice(&w);
    } else if n >= 4 {
        let half = |i: usize| u64::from(u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4")));
        let (lo, hi) = (half(0), half(n - 4));
        if escape_mask(lo | hi << 32) != 0 {
            return false;
        }
        // Byte 4 is byte 8 - n of the second half.
        out.extend_from_slice(&(lo | (hi >> (8 * (8 - n))) << 32).to_le_bytes());
    } else if n > 0 {
        // Bytes 0, n / 2 and n - 1 are all of them.
        let (a, b, c) = (bytes[0], bytes[n / 2], bytes[n - 1]);
        if ESCAPE[a as usize] | ESCAPE[b as usize] | ESCAPE[c as usize] != 0 {
            return false;
        }
        let at = |b: u8, i: usize| u64::from(b) << (8 * i);
        out.extend_from_slice(&(at(a, 0) | at(b, n / 2) | at(c, n - 1)).to_le_bytes());
    }
    out.truncate(end);
    true
}

/// The contents of `s` as a JSON string (without the quotes), escaped
/// exactly as serde_json escapes it: a short string that needs no escape
/// copied at once, others by [`escaped_runs`].
#[inline(always)]
fn escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !short_and_clean(out, bytes) {
        escaped_runs(out, bytes);
    }
}

/// [`escaped`] of any string: the runs between escapes copied whole.
#[inline(never)]
fn escaped_runs(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut run = 0;
    while let Some(i) = next_escape(bytes, run) {
        out.extend_from_slice(&bytes[run..i]);
        let b = bytes[i];
        match ESCAPE[b as usize] {
            b'u' => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 15) as usize],
            ]),
            e => out.extend_from_slice(&[b'\\', e]),
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// `s` as a JSON string, escaped exactly as serde_json escapes it.
#[cfg(test)]
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

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
                        start: Ymd { y: 1990, m: 1, d: 1 },
                        end: Ymd { y: 1991, m: 1, d: 1 },
                    }),
                },
            ),
            ann(
                "1990",
                Layer::Date,
                "DATE",
                Attrs::Date { value: "1990".into(), modifier: None, interval: None },
            ),
            // Days past the ten-byte form.
            ann(
                "1990",
                Layer::Date,
                "DATE",
                Attrs::Date {
                    value: "9999-12-31".into(),
                    modifier: None,
                    interval: Some(Interval {
                        start: Ymd { y: 9999, m: 12, d: 31 },
                        end: Ymd { y: 10000, m: 1, d: 1 },
                    }),
                },
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
        // The days as the contract writes them, inside the ten-byte form
        // and past it.
        let line = String::from_utf8(json_line(&recs[0], true)).unwrap();
        for days in [
            r#""interval":{"start":"1990-01-01","end":"1991-01-01"}"#,
            r#""interval":{"start":"9999-12-31","end":"10000-01-01"}"#,
        ] {
            assert!(line.contains(days), "{days} in {line}");
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

    /// Strings of every length around the eight-byte steps and the short
    /// paths (up to 24 bytes), with a byte to escape (or a multi-byte
    /// character) at every position, and a second one at every later
    /// position, written after other bytes, against serde_json: the word
    /// tests miss none, find each at its place, and the short copy writes
    /// nothing past the string.
    #[test]
    fn escapes_at_every_position_of_short_strings() {
        let odds = ["\"", "\\", "\n", "\u{1}", "\u{1f}", "é", "€", "😀", "Ж", "ب"];
        for len in 0..=41 {
            for at in 0..=len {
                for second in (at..=len).step_by(if len > 20 { 3 } else { 1 }) {
                    for odd in odds {
                        let s: String = (0..len)
                            .map(|i| match i {
                                _ if i == at => odd,
                                _ if i == second => "\\",
                                _ => "a",
                            })
                            .collect();
                        let mut got = b"[x]".to_vec();
                        string(&mut got, &s);
                        let want = format!("[x]{}", serde_json::to_string(&s).unwrap());
                        assert_eq!(String::from_utf8(got).unwrap(), want);
                    }
                }
            }
        }
    }

    /// The first byte the word test marks is the first that needs an
    /// escape, wherever the others are.
    #[test]
    fn escape_mask_marks_the_first_escape() {
        let marks = [0u8, 0x1f, b'"', b'\\', 0x01, 0x21, 0x23, 0x5d, 0x80, 0xff, b'a'];
        for p in 0..8 {
            for q in 0..8 {
                for &a in &marks {
                    for &b in &marks {
                        let mut w = *b"abcdefgh";
                        w[p] = a;
                        w[q] = b;
                        let first = w.iter().position(|&x| ESCAPE[x as usize] != 0);
                        let m = escape_mask(u64::from_le_bytes(w));
                        let got = (m != 0).then(|| (m.trailing_zeros() / 8) as usize);
                        assert_eq!(got, first, "{w:?}");
                    }
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

    /// A cursor gives what the map gives, whatever the order of the
    /// look-ups: ascending, descending, near and far jumps both ways (past
    /// its few steps), on texts with many non-ASCII characters.
    #[test]
    fn cursor_agrees_with_char_map() {
        let many = "aé€😀Жب ".repeat(300);
        let long = format!("{}Москва — دمشق €5 😀.", "x".repeat(70_000));
        for t in ["", "a", "é", "aé", "Iraq’s “war”", many.as_str(), long.as_str()] {
            let m = CharMap::new(t);
            let bounds: Vec<usize> = (0..=t.len()).filter(|&b| t.is_char_boundary(b)).collect();
            let n = bounds.len();
            let jumps = (0..4 * n).map(|i| bounds[(i * 7919 + i * i * 31) % n]);
            let orders: [Vec<usize>; 3] =
                [bounds.clone(), bounds.iter().rev().copied().collect(), jumps.collect()];
            for order in orders {
                let mut c = m.cursor();
                for b in order {
                    assert_eq!(c.get(b), m.get(b), "{b}");
                }
            }
            let mut c = m.cursor();
            for b in (0..=t.len()).filter(|&b| !t.is_char_boundary(b)).take(50) {
                let inside = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.get(b)));
                assert!(inside.is_err(), "{b} is inside a character");
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
