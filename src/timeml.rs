//! TimeML documents for TempEval-3: this module owns reading `.tml` files
//! and writing them back.
//!
//! * [`parse`] reads a TimeML document into its text (the character data of
//!   `<TEXT>…</TEXT>`), its document creation time and its gold TIMEX3
//!   spans ([`TimeMlDoc`]).
//! * [`to_gold`] turns such a document into a gold record of the output
//!   contract (date layer only), so [`crate::eval`] can score against
//!   TimeBank and AQUAINT.
//! * [`write_inline`] writes the pipeline's dates as an inline TimeML
//!   document that the official TempEval-3 evaluation tools accept.
//!
//! # Text and offsets
//!
//! [`TimeMlDoc::text`] is the character data of the `<TEXT>` element as an
//! XML parser reports it, which is what the TempEval-3 tools align system
//! output on: every tag (and comment) removed, the five predefined entities
//! and numeric character references decoded, CDATA sections kept verbatim,
//! line ends normalized as XML requires (`\r\n` and a lone `\r` read as
//! `\n`; a `&#13;` reference stays `\r`), nothing else changed — spaces,
//! blank lines and the newline right after `<TEXT>` are kept. Timex spans
//! are byte offsets into that text, like every [`Span`] in the library;
//! [`to_gold`] converts them to code points.
//!
//! # The scanner
//!
//! A small hand-written tag scanner, one pass over the bytes. It only ever
//! slices the source at ASCII bytes (`<`, `>`, `&`, `;`, quotes, white
//! space), which are always `char` boundaries, so no input can make it
//! panic. It checks what the TempEval-3 data needs checked — tags closed and
//! properly nested, attributes quoted, entities known, one `<TEXT>`, TIMEX3
//! with `tid`, `type` and `value`, no TIMEX3 inside a TIMEX3 — and reports
//! the first problem as an [`Error`] naming the origin and the line. It is
//! not a validating XML parser (no DTDs, no namespaces, no character
//! classes).

use crate::error::{Error, Result};
use crate::output::{CharMap, WireAnnotation, WireInterval, WireRecord};
use crate::span::{Layer, Span};
use crate::timex::{self, Ymd};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt::Write as _;

/// Attributes of the `<TimeML>` root element, as in the TempEval-3 data.
const ROOT_ATTRS: &str = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
     xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\"";

/// Longest entity or character reference accepted between `&` and `;`.
const MAX_REF: usize = 32;

/// A TimeML document: its text and its gold temporal expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMlDoc {
    /// Content of `<DOCID>` (trimmed); the origin's file stem when the
    /// document has none.
    pub doc_id: String,
    /// Character data of `<TEXT>…</TEXT>` (see the [module docs](self)).
    pub text: String,
    /// Document creation time, `YYYY-MM-DD`: the date of the value of the
    /// first TIMEX3 inside `<DCT>`; `None` without one or when that value
    /// names no calendar day.
    pub dct: Option<String>,
    /// The TIMEX3 elements inside `<TEXT>` that cover text, in document
    /// order. Empty ones (TimeML's non-consuming timexes) are left out.
    pub timexes: Vec<Timex>,
}

/// One TIMEX3 element of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// Byte span into [`TimeMlDoc::text`]; never empty.
    pub span: Span,
    /// The `tid` attribute.
    pub tid: String,
    /// The `type` attribute: `DATE`, `TIME`, `DURATION` or `SET`.
    pub label: &'static str,
    /// The `value` attribute.
    pub value: String,
    /// The `mod` attribute, if present and not empty.
    pub modifier: Option<String>,
}

/// Reads a TimeML document. `origin` (usually the file path) names the
/// document in errors.
///
/// # Errors
/// Malformed input, with origin and line: a tag without its `>`, an element
/// never closed or closed out of order, an end tag without a start tag, an
/// unquoted or duplicate attribute, an unknown entity or bare `&`, a second
/// `<TEXT>` or none at all, a TIMEX3 without `tid`, `type` or `value` or with
/// a type other than `DATE`, `TIME`, `DURATION`, `SET`, and a TIMEX3 inside
/// another.
pub fn parse(src: &str, origin: &str) -> Result<TimeMlDoc> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let cx = Cx { src, origin };
    let b = src.as_bytes();

    // Open elements: name and the position of their `<`.
    let mut stack: Vec<(&str, usize)> = Vec::new();
    let mut text = String::new();
    let mut text_at: Option<usize> = None;
    let mut text_level: Option<usize> = None;
    let mut docid: Option<String> = None;
    let mut docid_buf = String::new();
    let mut docid_level: Option<usize> = None;
    let mut dct_seen = false;
    let mut dct_level: Option<usize> = None;
    let mut dct_timex_seen = false;
    let mut dct: Option<String> = None;
    let mut open: Option<OpenTimex> = None;
    let mut timexes = Vec::new();

    let mut p = 0;
    while p < b.len() {
        let lt = b[p..].iter().position(|&c| c == b'<').map_or(b.len(), |k| p + k);
        if lt > p {
            let sink = if text_level.is_some() {
                Some(&mut text)
            } else if docid_level.is_some() {
                Some(&mut docid_buf)
            } else {
                None
            };
            decode_into(&cx, &src[p..lt], p, sink, false)?;
        }
        if lt == b.len() {
            break;
        }
        p = lt;
        let rest = &b[p..];
        if rest.starts_with(b"<!--") {
            p = find(b, p + 4, b"-->")
                .ok_or_else(|| cx.err(p, "comment `<!--` is never closed"))?
                + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            let end = find(b, p + 9, b"]]>")
                .ok_or_else(|| cx.err(p, "CDATA section `<![CDATA[` is never closed"))?;
            if text_level.is_some() {
                push_normalized(&mut text, &src[p + 9..end], false);
            } else if docid_level.is_some() {
                push_normalized(&mut docid_buf, &src[p + 9..end], false);
            }
            p = end + 3;
        } else if rest.starts_with(b"<?") {
            p = find(b, p + 2, b"?>")
                .ok_or_else(|| cx.err(p, "processing instruction `<?` is never closed"))?
                + 2;
        } else if rest.starts_with(b"<!") {
            p = skip_declaration(&cx, p)?;
        } else if rest.starts_with(b"</") {
            let (name, end) = end_tag(&cx, p)?;
            match stack.last() {
                Some(&(top, _)) if top == name => {}
                Some(&(top, top_at)) if stack.iter().any(|&(n, _)| n == name) => {
                    return Err(cx.err(
                        top_at,
                        format!(
                            "<{top}> is never closed (</{name}> on line {} closes an outer element)",
                            line_of(src, p)
                        ),
                    ));
                }
                _ => return Err(cx.err(p, format!("</{name}> has no matching <{name}>"))),
            }
            stack.pop();
            let level = stack.len();
            if open.as_ref().is_some_and(|o| o.level == level) {
                let o = open.take().expect("checked above");
                if o.in_text && text.len() > o.start {
                    timexes.push(Timex {
                        span: Span::new(o.start, text.len()),
                        tid: o.tid,
                        label: o.label,
                        value: o.value,
                        modifier: o.modifier,
                    });
                }
            }
            if text_level == Some(level) {
                text_level = None;
            }
            if docid_level == Some(level) {
                docid_level = None;
                docid = Some(docid_buf.trim().to_string());
            }
            if dct_level == Some(level) {
                dct_level = None;
            }
            p = end;
        } else {
            let tag = start_tag(&cx, p)?;
            let level = stack.len();
            match tag.name {
                "TEXT" => {
                    if let Some(first) = text_at {
                        return Err(cx.err(
                            p,
                            format!(
                                "second <TEXT> element (the first is on line {})",
                                line_of(src, first)
                            ),
                        ));
                    }
                    text_at = Some(p);
                    if !tag.self_closing {
                        text_level = Some(level);
                    }
                }
                "DOCID" if docid.is_none() && docid_level.is_none() && text_level.is_none() => {
                    if tag.self_closing {
                        docid = Some(String::new());
                    } else {
                        docid_level = Some(level);
                    }
                }
                "DCT" if !dct_seen && text_level.is_none() => {
                    dct_seen = true;
                    if !tag.self_closing {
                        dct_level = Some(level);
                    }
                }
                "TIMEX3" => {
                    if let Some(o) = &open {
                        return Err(cx.err(
                            p,
                            format!(
                                "<TIMEX3> inside the <TIMEX3> opened on line {} (TIMEX3 cannot nest)",
                                line_of(src, o.at)
                            ),
                        ));
                    }
                    let attr = |n: &str| tag.attrs.iter().find(|(k, _)| *k == n).map(|(_, v)| v);
                    let need = |n: &str| {
                        attr(n)
                            .ok_or_else(|| cx.err(p, format!("<TIMEX3> without a {n} attribute")))
                    };
                    let tid = need("tid")?;
                    let ty = need("type")?;
                    let value = need("value")?;
                    let label = Layer::Date.label(ty).ok_or_else(|| {
                        cx.err(
                            p,
                            format!(
                                "<TIMEX3 tid=\"{tid}\"> has type {ty:?}, not DATE, TIME, DURATION or SET"
                            ),
                        )
                    })?;
                    let in_text = text_level.is_some();
                    if !in_text && dct_level.is_some() && !dct_timex_seen {
                        dct_timex_seen = true;
                        dct = dct_date(value);
                    }
                    if !tag.self_closing {
                        open = Some(OpenTimex {
                            level,
                            at: p,
                            start: text.len(),
                            in_text,
                            tid: tid.to_string(),
                            label,
                            value: value.to_string(),
                            modifier: attr("mod").filter(|m| !m.is_empty()).map(|m| m.to_string()),
                        });
                    }
                }
                _ => {}
            }
            if !tag.self_closing {
                stack.push((tag.name, p));
            }
            p = tag.end;
        }
    }
    if let Some(&(name, at)) = stack.last() {
        return Err(cx.err(at, format!("<{name}> is never closed")));
    }
    if text_at.is_none() {
        return Err(cx.err(src.trim_end().len(), "no <TEXT> element"));
    }
    let doc_id = docid.filter(|d| !d.is_empty()).unwrap_or_else(|| {
        std::path::Path::new(origin)
            .file_stem()
            .map_or_else(|| origin.to_string(), |s| s.to_string_lossy().into_owned())
    });
    Ok(TimeMlDoc { doc_id, text, dct, timexes })
}

/// The gold record of a document: its text, creation time and one date
/// annotation per timex (ids `T1…` in output order, code-point offsets,
/// `value`, `mod`, and for `DATE` values the calendar `interval` of
/// [`timex::interval_of`]). No `source`, no `path`. Timexes whose span is
/// empty or not on `char` boundaries of the text are left out.
pub fn to_gold(doc: &TimeMlDoc, id: &str) -> WireRecord {
    let text = doc.text.as_str();
    let mut tx: Vec<&Timex> = doc
        .timexes
        .iter()
        .filter(|t| t.span.start < t.span.end && text.get(t.span.start..t.span.end).is_some())
        .collect();
    tx.sort_by_key(|t| (t.span.start, t.span.end, t.label));
    let map = CharMap::new(text);
    let annotations = tx
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut w = WireAnnotation::new(
                format!("T{}", i + 1),
                Layer::Date.as_str(),
                t.label,
                map.get(t.span.start),
                map.get(t.span.end),
                t.span.of(text).to_string(),
            );
            w.value = Some(t.value.clone());
            w.modifier = t.modifier.clone();
            if t.label == "DATE" {
                w.interval = timex::interval_of(&t.value)
                    .map(|i| WireInterval { start: i.start.iso(), end: i.end.iso() });
            }
            w
        })
        .collect();
    WireRecord {
        id: id.to_string(),
        path: None,
        dct: doc.dct.clone(),
        text: Some(doc.text.clone()),
        annotations,
    }
}

/// Writes `text` with `dates` as an inline TimeML document in the layout of
/// the TempEval-3 data, which the official evaluation tools read:
///
/// ```text
/// <?xml version="1.0" ?>
/// <TimeML xmlns:xsi="…" xsi:noNamespaceSchemaLocation="…TimeML_1.2.1.xsd">
/// <DOCID>…</DOCID>
/// <DCT><TIMEX3 tid="t0" type="DATE" value="…" temporalFunction="false" functionInDocument="CREATION_TIME">…</TIMEX3></DCT>
/// <TEXT>…<TIMEX3 tid="t1" type="DATE" value="…" mod="…">…</TIMEX3>…</TEXT>
/// </TimeML>
/// ```
///
/// Each date is `(span, label, value, mod)` with a byte span into `text`.
/// Dates are written in text order (ties: the longer first) with ids
/// `t1…`; a date that overlaps one already written, an empty span and a
/// span outside `text` or off its `char` boundaries are skipped. The DCT
/// line is left out when `dct` is `None`. Text and attribute values are
/// XML-escaped (`&`, `<`, `>`; `"` and tab/newline in attributes; `\r` as
/// `&#13;` so line ends survive), so [`parse`] of the result gives back
/// `text` and the spans written. Characters XML 1.0 forbids (most C0
/// controls) are written as they are.
pub fn write_inline(
    doc_id: &str,
    text: &str,
    dct: Option<&str>,
    dates: &[(Span, &str, &str, Option<&str>)],
) -> String {
    let mut sorted: Vec<&(Span, &str, &str, Option<&str>)> = dates
        .iter()
        .filter(|d| d.0.start < d.0.end && text.get(d.0.start..d.0.end).is_some())
        .collect();
    sorted.sort_by_key(|d| (d.0.start, Reverse(d.0.end)));

    let mut out = String::with_capacity(text.len() + 400 + 80 * sorted.len());
    out.push_str("<?xml version=\"1.0\" ?>\n<TimeML ");
    out.push_str(ROOT_ATTRS);
    out.push_str(">\n<DOCID>");
    escape(&mut out, doc_id, false);
    out.push_str("</DOCID>\n");
    if let Some(d) = dct {
        out.push_str("<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"");
        escape(&mut out, d, true);
        out.push_str("\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">");
        escape(&mut out, d, false);
        out.push_str("</TIMEX3></DCT>\n");
    }
    out.push_str("<TEXT>");
    let mut pos = 0;
    let mut n = 0;
    for &&(span, label, value, modifier) in &sorted {
        if span.start < pos {
            continue;
        }
        n += 1;
        escape(&mut out, &text[pos..span.start], false);
        let _ = write!(out, "<TIMEX3 tid=\"t{n}\" type=\"");
        escape(&mut out, label, true);
        out.push_str("\" value=\"");
        escape(&mut out, value, true);
        if let Some(m) = modifier {
            out.push_str("\" mod=\"");
            escape(&mut out, m, true);
        }
        out.push_str("\">");
        escape(&mut out, &text[span.start..span.end], false);
        out.push_str("</TIMEX3>");
        pos = span.end;
    }
    escape(&mut out, &text[pos..], false);
    out.push_str("</TEXT>\n</TimeML>\n");
    out
}

/// The `YYYY-MM-DD` day of a DCT value: `1998-08-07`, `1998-08-07T06:18`,
/// `19980807`, `19980807T0618`; `None` for anything else.
fn dct_date(value: &str) -> Option<String> {
    let v = value.trim();
    let b = v.as_bytes();
    let at_end_or_t = |i: usize| b.len() == i || b[i] == b'T';
    if b.len() >= 10 && at_end_or_t(10) {
        if let Some(d) = v.get(..10).and_then(Ymd::parse) {
            return Some(d.iso());
        }
    }
    if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && at_end_or_t(8) {
        let n = |r: std::ops::Range<usize>| v[r].parse::<u32>().ok();
        let d = Ymd::new(i32::try_from(n(0..4)?).ok()?, n(4..6)?, n(6..8)?)?;
        return Some(d.iso());
    }
    None
}

/// A TIMEX3 whose end tag has not been seen yet.
struct OpenTimex {
    /// Index of the element in the stack of open elements.
    level: usize,
    /// Position of its `<`.
    at: usize,
    /// Length of the text when it opened.
    start: usize,
    /// Inside `<TEXT>`.
    in_text: bool,
    tid: String,
    label: &'static str,
    value: String,
    modifier: Option<String>,
}

/// A start tag.
struct Tag<'a> {
    name: &'a str,
    attrs: Vec<(&'a str, Cow<'a, str>)>,
    self_closing: bool,
    /// Position just past the `>`.
    end: usize,
}

/// The source and its name, for errors.
struct Cx<'a> {
    src: &'a str,
    origin: &'a str,
}

impl Cx<'_> {
    fn err(&self, at: usize, msg: impl Into<String>) -> Error {
        Error::msg(msg).with_path(self.origin).with_line(line_of(self.src, at))
    }
}

/// The 1-based line of byte `at`.
fn line_of(src: &str, at: usize) -> usize {
    let at = at.min(src.len());
    1 + src.as_bytes()[..at].iter().filter(|&&c| c == b'\n').count()
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes allowed in tag and attribute names: anything but ASCII white
/// space and markup characters (non-ASCII bytes included, so a name always
/// ends on an ASCII byte, a `char` boundary).
fn is_name_byte(c: u8) -> bool {
    !is_ws(c) && !matches!(c, b'<' | b'>' | b'/' | b'=' | b'"' | b'\'' | b'&' | b'!' | b'?')
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// Position of the first `pat` at or after `from`.
fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(pat.len()).position(|w| w == pat).map(|k| from + k)
}

/// A short, printable description of the character at `i` (an ASCII
/// position, or the end).
fn what_at(src: &str, i: usize) -> String {
    match src.get(i..).and_then(|s| s.chars().next()) {
        Some(c) => format!("{c:?}"),
        None => "end of input".to_string(),
    }
}

/// Parses the start tag whose `<` is at `at`.
fn start_tag<'a>(cx: &Cx<'a>, at: usize) -> Result<Tag<'a>> {
    let src = cx.src;
    let b = src.as_bytes();
    let mut i = at + 1;
    let ns = i;
    while i < b.len() && is_name_byte(b[i]) {
        i += 1;
    }
    if i == ns {
        return Err(cx.err(at, "'<' that starts no tag (write &lt; for a literal '<')"));
    }
    let name = &src[ns..i];
    let unclosed = || cx.err(at, format!("tag <{name} is never closed with '>'"));
    let mut attrs: Vec<(&str, Cow<str>)> = Vec::new();
    loop {
        let j = skip_ws(b, i);
        let had_ws = j > i;
        i = j;
        match b.get(i) {
            None => return Err(unclosed()),
            Some(b'>') => return Ok(Tag { name, attrs, self_closing: false, end: i + 1 }),
            Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                return Ok(Tag { name, attrs, self_closing: true, end: i + 2 })
            }
            Some(_) => {}
        }
        let an = i;
        while i < b.len() && is_name_byte(b[i]) {
            i += 1;
        }
        if i == an || !had_ws {
            return Err(
                cx.err(at, format!("malformed tag <{name}: unexpected {}", what_at(src, an)))
            );
        }
        let aname = &src[an..i];
        i = skip_ws(b, i);
        if b.get(i) != Some(&b'=') {
            return Err(cx.err(at, format!("attribute {aname} of <{name}> has no value")));
        }
        i = skip_ws(b, i + 1);
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            None => return Err(unclosed()),
            Some(_) => {
                return Err(
                    cx.err(at, format!("value of attribute {aname} of <{name}> is not quoted"))
                )
            }
        };
        let vs = i + 1;
        let mut k = vs;
        while k < b.len() && b[k] != quote {
            if b[k] == b'<' {
                return Err(cx.err(
                    at,
                    format!("'<' in the value of attribute {aname} of <{name}> (missing quote?)"),
                ));
            }
            k += 1;
        }
        if k == b.len() {
            return Err(unclosed());
        }
        let raw = &src[vs..k];
        let value = if raw.bytes().any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r')) {
            let mut s = String::with_capacity(raw.len());
            decode_into(cx, raw, vs, Some(&mut s), true)?;
            Cow::Owned(s)
        } else {
            Cow::Borrowed(raw)
        };
        if attrs.iter().any(|(n, _)| *n == aname) {
            return Err(cx.err(at, format!("attribute {aname} of <{name}> is given twice")));
        }
        attrs.push((aname, value));
        i = k + 1;
    }
}

/// Parses the end tag whose `<` is at `at`: its name and the position past
/// its `>`.
fn end_tag<'a>(cx: &Cx<'a>, at: usize) -> Result<(&'a str, usize)> {
    let src = cx.src;
    let b = src.as_bytes();
    let mut i = at + 2;
    let ns = i;
    while i < b.len() && is_name_byte(b[i]) {
        i += 1;
    }
    let name = &src[ns..i];
    i = skip_ws(b, i);
    if name.is_empty() || b.get(i) != Some(&b'>') {
        return Err(
            cx.err(at, format!("malformed end tag </{name}: unexpected {}", what_at(src, i)))
        );
    }
    Ok((name, i + 1))
}

/// Skips a `<!…>` declaration (such as `<!DOCTYPE …>` with an internal
/// subset) starting at `at`; returns the position past it.
fn skip_declaration(cx: &Cx<'_>, at: usize) -> Result<usize> {
    let b = cx.src.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (k, &c) in b.iter().enumerate().skip(at + 2) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Ok(k + 1),
            _ => {}
        }
    }
    Err(cx.err(at, "declaration `<!` is never closed with '>'"))
}

/// Appends `s` with XML line ends normalized (`\r\n` and `\r` → `\n`); in
/// an attribute value (`attr`), tab and line ends read as a space.
fn push_normalized(out: &mut String, s: &str, attr: bool) {
    let b = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\r' || (attr && (c == b'\n' || c == b'\t')) {
            out.push_str(&s[run..i]);
            out.push(if attr { ' ' } else { '\n' });
            i += if c == b'\r' && b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            run = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[run..]);
}

/// Decodes the character data `raw`, found at byte `at` of the source,
/// into `out` (or only checks it when `out` is `None`): references
/// resolved, line ends normalized (see [`push_normalized`]).
fn decode_into(
    cx: &Cx<'_>,
    raw: &str,
    at: usize,
    mut out: Option<&mut String>,
    attr: bool,
) -> Result<()> {
    let b = raw.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'&' {
            i += 1;
            continue;
        }
        let Some(k) = b[i + 1..].iter().take(MAX_REF + 1).position(|&c| c == b';') else {
            return Err(cx.err(at + i, "'&' that starts no entity (write &amp; for a literal '&')"));
        };
        let name = &raw[i + 1..i + 1 + k];
        let Some(c) = resolve_ref(name) else {
            return Err(cx.err(at + i, format!("unknown entity &{name};")));
        };
        if let Some(o) = out.as_mut() {
            push_normalized(o, &raw[run..i], attr);
            o.push(c);
        }
        i += k + 2;
        run = i;
    }
    if let Some(o) = out.as_mut() {
        push_normalized(o, &raw[run..], attr);
    }
    Ok(())
}

/// The character of an entity or character reference (the part between
/// `&` and `;`).
fn resolve_ref(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let (digits, radix) = match name.strip_prefix("#x") {
                Some(h) => (h, 16),
                None => (name.strip_prefix('#')?, 10),
            };
            if digits.is_empty() || !digits.bytes().all(|c| (c as char).is_digit(radix)) {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(digits, radix).ok()?)?;
            if c == '\0' {
                return None;
            }
            c
        }
    })
}

/// Appends `s` XML-escaped: `&`, `<`, `>` and `\r` always; `"`, tab and
/// newline too in an attribute value.
fn escape(out: &mut String, s: &str, attr: bool) {
    let mut run = 0;
    for (i, c) in s.bytes().enumerate() {
        let rep = match c {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#13;",
            b'"' if attr => "&quot;",
            b'\n' if attr => "&#10;",
            b'\t' if attr => "&#9;",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(rep);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "<?xml version=\"1.0\" ?>
<TimeML xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\">

<DOCID>APW19980807.0261</DOCID>

<DCT><TIMEX3 tid=\"t0\" type=\"TIME\" value=\"1998-08-07T06:18\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">08/07/1998 06:18:00</TIMEX3></DCT>

<TITLE>Zürich &amp; Co.</TITLE>

<EXTRAINFO>
w2213 &amp;Cx1f; wstm- <!-- a comment with <TIMEX3> -->
</EXTRAINFO>

<TEXT>
AT&amp;T <EVENT eid=\"e1\" class=\"OCCURRENCE\">said</EVENT> in Zürich <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-07\" temporalFunction=\"false\" functionInDocument=\"NONE\">Friday</TIMEX3> that profits rose &lt;5% <SIGNAL sid=\"s1\">for</SIGNAL> <TIMEX3 tid=\"t2\" type='DURATION' value=\"P3Y\" mod=\"MORE_THAN\">more than three years</TIMEX3> — café &#233;t&#xE9;
“<TIMEX3 tid=\"t3\" type=\"DATE\" value=\"1998-Q3\"><EVENT eid=\"e2\" class=\"STATE\">the quarter&apos;s end</EVENT></TIMEX3>”.

</TEXT>

<MAKEINSTANCE eventID=\"e1\" eiid=\"ei1\" tense=\"PAST\" aspect=\"NONE\" polarity=\"POS\" pos=\"UNKNOWN\"/>
<TLINK lid=\"l1\" relType=\"BEFORE\" timeID=\"t1\" relatedToTime=\"t0\"/>
</TimeML>
";

    const SAMPLE_TEXT: &str = "\nAT&T said in Zürich Friday that profits rose <5% for more than three years — café été\n“the quarter's end”.\n\n";

    fn bad(src: &str) -> Error {
        match parse(src, "bad.tml") {
            Ok(d) => panic!("parsed: {d:?}"),
            Err(e) => e,
        }
    }

    fn assert_at(e: &Error, line: usize, needle: &str) {
        assert_eq!(e.path(), Some("bad.tml"), "{e}");
        assert_eq!(e.line(), Some(line), "{e}");
        assert!(e.to_string().starts_with(&format!("bad.tml:{line}: ")), "{e}");
        assert!(e.message().contains(needle), "{e}");
    }

    #[test]
    fn parses_text_entities_and_non_ascii() {
        let d = parse(SAMPLE, "sample.tml").unwrap();
        assert_eq!(d.doc_id, "APW19980807.0261");
        assert_eq!(d.text, SAMPLE_TEXT);
        assert_eq!(d.dct.as_deref(), Some("1998-08-07"));
        let got: Vec<(&str, &str, &str, &str, Option<&str>)> = d
            .timexes
            .iter()
            .map(|t| {
                (
                    t.span.of(&d.text),
                    t.tid.as_str(),
                    t.label,
                    t.value.as_str(),
                    t.modifier.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Friday", "t1", "DATE", "1998-08-07", None),
                ("more than three years", "t2", "DURATION", "P3Y", Some("MORE_THAN")),
                ("the quarter's end", "t3", "DATE", "1998-Q3", None),
            ]
        );
    }

    #[test]
    fn gold_record_uses_code_points() {
        let d = parse(SAMPLE, "sample.tml").unwrap();
        let g = to_gold(&d, "tb/APW19980807.0261");
        assert_eq!(g.id, "tb/APW19980807.0261");
        assert_eq!(g.dct.as_deref(), Some("1998-08-07"));
        assert_eq!(g.text.as_deref(), Some(SAMPLE_TEXT));
        let chars: Vec<char> = SAMPLE_TEXT.chars().collect();
        assert_eq!(g.annotations.len(), 3);
        for (i, a) in g.annotations.iter().enumerate() {
            assert_eq!(a.id, format!("T{}", i + 1));
            assert_eq!(a.layer, "date");
            assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.text);
            assert!(a.source.is_none() && a.cameo.is_none() && a.args.is_none());
        }
        let a = &g.annotations[0];
        assert_eq!((a.text.as_str(), a.value.as_deref()), ("Friday", Some("1998-08-07")));
        let i = a.interval.as_ref().unwrap();
        assert_eq!((i.start.as_str(), i.end.as_str()), ("1998-08-07", "1998-08-08"));
        // Not byte offsets: "Zürich" precedes it.
        assert_eq!(a.start, SAMPLE_TEXT[..SAMPLE_TEXT.find("Friday").unwrap()].chars().count());
        assert_ne!(a.start, SAMPLE_TEXT.find("Friday").unwrap());
        let b = &g.annotations[1];
        assert_eq!((b.label.as_str(), b.modifier.as_deref()), ("DURATION", Some("MORE_THAN")));
        assert!(b.interval.is_none(), "durations get no interval");
        let c = &g.annotations[2];
        let i = c.interval.as_ref().unwrap();
        assert_eq!((i.start.as_str(), i.end.as_str()), ("1998-07-01", "1998-10-01"));
        // The wire form serializes `mod` under its contract name.
        let json = serde_json::to_string(&g).unwrap();
        assert!(json.contains("\"mod\":\"MORE_THAN\""), "{json}");
    }

    #[test]
    fn dct_forms() {
        assert_eq!(dct_date("1998-08-07").as_deref(), Some("1998-08-07"));
        assert_eq!(dct_date("1998-02-06T22:19:00").as_deref(), Some("1998-02-06"));
        assert_eq!(dct_date("1990-08-15T13:37").as_deref(), Some("1990-08-15"));
        assert_eq!(dct_date("19980807").as_deref(), Some("1998-08-07"));
        assert_eq!(dct_date("19980807T0618").as_deref(), Some("1998-08-07"));
        assert_eq!(dct_date(" 1989-11-02 ").as_deref(), Some("1989-11-02"));
        for v in ["", "1998", "1998-08", "1998-02-30", "XXXX-XX-XX", "PRESENT_REF", "1998-08-07x"] {
            assert_eq!(dct_date(v), None, "{v}");
        }
        let doc = |dct: &str| {
            parse(&format!("<TimeML><DCT>{dct}</DCT><TEXT>x</TEXT></TimeML>"), "d.tml").unwrap().dct
        };
        let t =
            |v: &str| format!("<TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{v}\">whatever</TIMEX3>");
        assert_eq!(doc(&t("19980108")).as_deref(), Some("1998-01-08"));
        assert_eq!(doc(&t("1998-01-08T10:00:00")).as_deref(), Some("1998-01-08"));
        assert_eq!(doc(&t("PRESENT_REF")), None);
        assert_eq!(doc(""), None);
        // Only the TIMEX3 inside <DCT> counts; those in the text do not.
        let d =
            parse(&format!("<TimeML><TEXT>{}</TEXT></TimeML>", t("1998-01-08")), "d.tml").unwrap();
        assert_eq!((d.dct, d.timexes.len()), (None, 1));
        // No <DOCID>: the file stem.
        assert_eq!(parse("<TEXT/>", "dir/wsj_0001.tml").unwrap().doc_id, "wsj_0001");
    }

    #[test]
    fn malformed_unclosed() {
        // An element never closed, detected at an outer end tag.
        let e = bad("<TimeML>\n<TEXT>\nA <EVENT eid=\"e1\">b\n</TEXT>\n</TimeML>\n");
        assert_at(&e, 3, "<EVENT> is never closed");
        // Never closed at the end of the input.
        assert_at(&bad("<TimeML>\n<TEXT>\nabc\n"), 2, "<TEXT> is never closed");
        // A tag without its '>'.
        let e = bad("<TimeML>\n<TEXT>\nA <TIMEX3 tid=\"t1\" type=\"DATE\"");
        assert_at(&e, 3, "tag <TIMEX3 is never closed");
        // An attribute whose quote is never closed.
        let e =
            bad("<TimeML>\n<TEXT>\nA <TIMEX3 tid=\"t1 type=\"DATE\">x</TIMEX3>\n</TEXT></TimeML>");
        assert_at(&e, 3, "<TIMEX3");
        let e = bad("<TimeML>\n<TEXT>x\n</TEXT>\n</TEXT>\n</TimeML>\n");
        assert_at(&e, 4, "</TEXT> has no matching <TEXT>");
        let e = bad("<TimeML>\n<TEXT>x\n<!-- open comment\n</TEXT></TimeML>\n");
        assert_at(&e, 3, "comment");
        let e = bad("<TimeML>\n\n<TEXT>a < b</TEXT></TimeML>\n");
        assert_at(&e, 3, "'<' that starts no tag");
        let e = bad("<TimeML>\n<TEXT>\nA <EVENT eid=e1>b</EVENT></TEXT></TimeML>");
        assert_at(&e, 3, "not quoted");
    }

    #[test]
    fn malformed_missing_text() {
        let e = bad("<TimeML>\n<DOCID>x</DOCID>\n</TimeML>\n");
        assert_at(&e, 3, "no <TEXT> element");
        let e = bad("<TimeML>\n<TEXT>a</TEXT>\n<TEXT>b</TEXT>\n</TimeML>\n");
        assert_at(&e, 3, "second <TEXT> element (the first is on line 2)");
    }

    #[test]
    fn malformed_timex_attributes() {
        let e = bad("<TimeML>\n<TEXT>\n\nOn <TIMEX3 tid=\"t1\" value=\"1998\">1998</TIMEX3>\n</TEXT></TimeML>");
        assert_at(&e, 4, "<TIMEX3> without a type attribute");
        let e = bad(
            "<TimeML>\n<TEXT>\nOn <TIMEX3 tid=\"t1\" type=\"DATE\">1998</TIMEX3>\n</TEXT></TimeML>",
        );
        assert_at(&e, 3, "<TIMEX3> without a value attribute");
        let e = bad("<TimeML>\n<TEXT>\nOn <TIMEX3 type=\"DATE\" value=\"1998\">1998</TIMEX3>\n</TEXT></TimeML>");
        assert_at(&e, 3, "<TIMEX3> without a tid attribute");
        let e = bad("<TimeML>\n<TEXT>\nOn <TIMEX3 tid=\"t1\" type=\"DAY\" value=\"1998\">x</TIMEX3></TEXT></TimeML>");
        assert_at(&e, 3, "not DATE, TIME, DURATION or SET");
        // In the DCT too.
        let e =
            bad("<TimeML>\n<DCT><TIMEX3 tid=\"t0\" type=\"DATE\">x</TIMEX3></DCT><TEXT/></TimeML>");
        assert_at(&e, 2, "without a value attribute");
        let e = bad("<TimeML>\n<TEXT><TIMEX3 tid=\"t1\" tid=\"t2\">x</TIMEX3></TEXT></TimeML>");
        assert_at(&e, 2, "given twice");
    }

    #[test]
    fn malformed_nested_timex() {
        let src = "<TimeML>\n<TEXT>\n<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998\">the\nyear <TIMEX3 tid=\"t2\" type=\"DATE\" value=\"1998\">1998</TIMEX3></TIMEX3>\n</TEXT></TimeML>";
        let e = bad(src);
        assert_at(&e, 4, "<TIMEX3> inside the <TIMEX3> opened on line 3");
    }

    #[test]
    fn malformed_entities() {
        let e = bad("<TimeML>\n<TEXT>AT&T</TEXT></TimeML>");
        assert_at(&e, 2, "'&' that starts no entity");
        let e = bad("<TimeML>\n<TEXT>\n&nbsp;</TEXT></TimeML>");
        assert_at(&e, 3, "unknown entity &nbsp;");
        for r in ["&#0;", "&#xD800;", "&#x110000;", "&#;", "&#x;", "&#+5;", "&#X41;"] {
            let e = bad(&format!("<TimeML><TEXT>{r}</TEXT></TimeML>"));
            assert_at(&e, 1, "unknown entity");
        }
        // Entities are checked outside <TEXT> too.
        let e = bad("<TimeML>\n\n<EXTRAINFO>a & b</EXTRAINFO><TEXT/></TimeML>");
        assert_at(&e, 3, "'&'");
    }

    #[test]
    fn xml_details() {
        let src = "<?xml version=\"1.0\"?>\r\n<!DOCTYPE TimeML [ <!ENTITY x \"]>\"> ]>\r\n<TimeML><TEXT>a\r\nb\rc&#13;d <![CDATA[<x> & y]]> <!-- no --><TIMEX3 tid='t1' type = \"SET\"\n value=\"P1D\" mod=\"\" >daily</TIMEX3>\n</TEXT ></TimeML>";
        let d = parse(src, "x.tml").unwrap();
        assert_eq!(d.text, "a\nb\nc\rd <x> & y daily\n");
        let t = &d.timexes[0];
        assert_eq!((t.span.of(&d.text), t.label, t.modifier.as_deref()), ("daily", "SET", None));
        // Attribute values: entities decoded, white space normalized.
        let d = parse(
            "<TEXT><TIMEX3 tid=\"t1\" type=\"DATE\" value=\"a&amp;b\nc&#10;\">x</TIMEX3></TEXT>",
            "x.tml",
        )
        .unwrap();
        assert_eq!(d.timexes[0].value, "a&b c\n");
        // Empty TIMEX3s (non-consuming) carry no span and are left out.
        let d = parse(
            "<TEXT>a<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998\"/>b<TIMEX3 tid=\"t2\" type=\"DATE\" value=\"1999\"></TIMEX3></TEXT>",
            "x.tml",
        )
        .unwrap();
        assert_eq!((d.text.as_str(), d.timexes.len()), ("ab", 0));
        // A leading byte-order mark is not text.
        assert_eq!(parse("\u{feff}<TEXT>x</TEXT>", "x.tml").unwrap().text, "x");
    }

    #[test]
    fn write_inline_layout() {
        let text = "On Friday, 5 < 6.";
        let dates = [(Span::new(3, 9), "DATE", "1998-08-07", None)];
        let out = write_inline("D&1", text, Some("1998-08-08"), &dates);
        assert_eq!(
            out,
            "<?xml version=\"1.0\" ?>\n\
             <TimeML xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\">\n\
             <DOCID>D&amp;1</DOCID>\n\
             <DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-08-08\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">1998-08-08</TIMEX3></DCT>\n\
             <TEXT>On <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-07\">Friday</TIMEX3>, 5 &lt; 6.</TEXT>\n\
             </TimeML>\n"
        );
        let out = write_inline("d", text, None, &[]);
        assert!(!out.contains("<DCT>"));
        assert!(out.contains("<TEXT>On Friday, 5 &lt; 6.</TEXT>"));
    }

    #[test]
    fn round_trip() {
        let text =
            "\n  Zürich & <Genève> “quotes” \"x\" — \r\nAT&T, 1998-08-07;\tearly 1990s\r\n\nend & ";
        let at = |s: &str| text.find(s).unwrap();
        let span = |s: &str| Span::new(at(s), at(s) + s.len());
        let dates = [
            (span("1998-08-07"), "DATE", "1998-08-07", None),
            (span("Zürich & <Genève>"), "DATE", "a\"b&c<d>\te\nf\r", Some("START")),
            (span("early 1990s"), "DATE", "199", Some("START")),
            (span("early"), "DATE", "skipped: overlaps", None),
            (span("1990s\r\n\nend"), "DATE", "skipped: overlaps", None),
            (Span::new(at("ü") + 1, at("ü") + 2), "DATE", "skipped: inside a char", None),
            (Span::new(5, 5), "DATE", "skipped: empty", None),
            (Span::new(text.len(), text.len() + 3), "DATE", "skipped: outside", None),
            (span("“quotes”"), "TIME", "XXXX-XX-XXTMO", None),
            (Span::new(at("end & "), text.len()), "SET", "P1D", None),
        ];
        let out = write_inline("rt<1>", text, Some("1998-08-08"), &dates);
        let d = parse(&out, "rt.tml").unwrap();
        assert_eq!(d.doc_id, "rt<1>");
        assert_eq!(d.text, text);
        assert_eq!(d.dct.as_deref(), Some("1998-08-08"));
        let got: Vec<(Span, &str, &str, Option<&str>)> = d
            .timexes
            .iter()
            .map(|t| (t.span, t.label, t.value.as_str(), t.modifier.as_deref()))
            .collect();
        let mut want: Vec<(Span, &str, &str, Option<&str>)> =
            dates.iter().copied().filter(|d| !d.2.starts_with("skipped")).collect();
        want.sort_by_key(|d| d.0);
        assert_eq!(got, want);
        let tids: Vec<&str> = d.timexes.iter().map(|t| t.tid.as_str()).collect();
        assert_eq!(tids, ["t1", "t2", "t3", "t4", "t5"]);
    }

    #[test]
    fn never_panics() {
        let check = |s: &str| {
            if let Ok(d) = parse(s, "f.tml") {
                for t in &d.timexes {
                    assert!(!t.span.is_empty() && d.text.get(t.span.start..t.span.end).is_some());
                }
                let _ = to_gold(&d, "f");
            }
        };
        let bounds: Vec<usize> =
            (0..=SAMPLE.len()).filter(|&i| SAMPLE.is_char_boundary(i)).collect();
        for &i in &bounds {
            check(&SAMPLE[..i]);
            check(&SAMPLE[i..]);
            for ins in
                ["<", ">", "&", "\"", "'", "/", "</", "<!", "<![CDATA[", "&#", "é", "\r", "="]
            {
                check(&format!("{}{ins}{}", &SAMPLE[..i], &SAMPLE[i..]));
            }
        }
        for s in ["", "<", "&", "<TEXT", "<TEXT>&#x", "<TEXT/", "</", "<!--", "<?", "<![CDATA["] {
            check(s);
        }
        // Bogus spans handed to the writers are skipped, not a panic.
        let doc = TimeMlDoc {
            doc_id: "x".into(),
            text: "é".into(),
            dct: None,
            timexes: vec![Timex {
                span: Span { start: 1, end: 9 },
                tid: "t1".into(),
                label: "DATE",
                value: "1998".into(),
                modifier: None,
            }],
        };
        assert!(to_gold(&doc, "x").annotations.is_empty());
        let out = write_inline("x", "é", None, &[(Span { start: 3, end: 1 }, "DATE", "1", None)]);
        assert_eq!(parse(&out, "x").unwrap().text, "é");
    }

    /// The TempEval-3 training data (TimeBank + AQUAINT), when present.
    #[test]
    fn tempeval3_training_data() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/tempeval3-train");
        if !root.is_dir() {
            eprintln!("note: {} not found; TempEval-3 corpus test skipped", root.display());
            return;
        }
        let tag = regex::Regex::new(r"(?s)<TIMEX3\b([^>]*)>(.*?)</TIMEX3>").unwrap();
        let any_tag = regex::Regex::new(r"<[^>]*>").unwrap();
        let attr = |a: &str, n: &str| {
            regex::Regex::new(&format!(r#"\b{n}="([^"]*)""#))
                .unwrap()
                .captures(a)
                .map(|c| c[1].to_string())
        };
        let unescape = |s: &str| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        };
        let mut files = 0;
        let mut by_type = std::collections::BTreeMap::<&str, usize>::new();
        let mut dcts = 0;
        for sub in ["TimeBank", "AQUAINT"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "tml"))
                .collect();
            paths.sort();
            for path in paths {
                let src = std::fs::read_to_string(&path).unwrap();
                let origin = path.display().to_string();
                let d = parse(&src, &origin).unwrap_or_else(|e| panic!("{e}"));
                files += 1;
                assert_eq!(Some(d.doc_id.as_str()), path.file_stem().and_then(|s| s.to_str()));
                // The text is the TEXT element with tags stripped, entities decoded.
                let s = src.find("<TEXT>").unwrap() + "<TEXT>".len();
                let e = src.find("</TEXT>").unwrap();
                let inner = &src[s..e];
                assert_eq!(d.text, unescape(&any_tag.replace_all(inner, "")), "{origin}");
                // Every TIMEX3 of the text, in order, with its content.
                let want: Vec<_> = tag.captures_iter(inner).collect();
                assert_eq!(d.timexes.len(), want.len(), "{origin}");
                for (t, c) in d.timexes.iter().zip(&want) {
                    assert_eq!(t.span.of(&d.text), unescape(&c[2]), "{origin} {}", t.tid);
                    assert_eq!(Some(&t.tid), attr(&c[1], "tid").as_ref());
                    assert_eq!(Some(&t.value), attr(&c[1], "value").as_ref());
                    assert_eq!(t.modifier, attr(&c[1], "mod"));
                    *by_type.entry(t.label).or_default() += 1;
                }
                // The DCT.
                let dct_tag = &src[src.find("<DCT>").unwrap()..src.find("</DCT>").unwrap()];
                let v = attr(dct_tag, "value").unwrap();
                assert_eq!(d.dct.as_deref(), Some(&v[..10]), "{origin}");
                dcts += 1;
                // The gold record passes the evaluator's checks.
                let g = to_gold(&d, &d.doc_id);
                let chars: Vec<char> = d.text.chars().collect();
                for a in &g.annotations {
                    assert!(a.start < a.end);
                    assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.text);
                }
                // Writing the gold dates back gives the same document.
                let dates: Vec<(Span, &str, &str, Option<&str>)> = d
                    .timexes
                    .iter()
                    .map(|t| (t.span, t.label, t.value.as_str(), t.modifier.as_deref()))
                    .collect();
                let back = parse(&write_inline(&d.doc_id, &d.text, d.dct.as_deref(), &dates), "rt")
                    .unwrap();
                assert_eq!((&back.text, &back.dct), (&d.text, &d.dct));
                assert_eq!(
                    back.timexes.iter().map(|t| t.span).collect::<Vec<_>>(),
                    dates.iter().map(|d| d.0).collect::<Vec<_>>()
                );
            }
        }
        let total: usize = by_type.values().sum();
        eprintln!(
            "TempEval-3 train: {files} files, {dcts} DCTs, {total} TIMEX3 in TEXT: {by_type:?}"
        );
        assert_eq!(files, 256);
        assert_eq!(dcts, 256);
        // The 1,822 of the corpus description are the TIMEX3 of the TEXT
        // elements; with the 256 DCTs the files hold 2,078.
        assert_eq!(total, 1822);
        assert_eq!(by_type.get("DATE"), Some(&1505));
        assert_eq!(by_type.get("DURATION"), Some(&257));
        assert_eq!(by_type.get("TIME"), Some(&30));
        assert_eq!(by_type.get("SET"), Some(&30));
    }
}
