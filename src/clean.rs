//! Clean: finds boilerplate (share bars, comment forms, navigation, site
//! tags and bylines, legal notices) and reports it as `boilerplate` spans.
//!
//! Nothing is deleted: the spans are reported, and the resolver keeps every
//! other layer out of them. The rules are data (`rules/boilerplate.jsonl`,
//! compiled once into a [`Cleaner`]); each rule carries examples and
//! counter-examples that the tests run. Rules work on lines, because
//! scraped furniture comes as whole lines; four scopes cover what scrapers
//! produce:
//!
//! - `line`: the rule's pattern must match the whole trimmed line;
//! - `prefix`: the pattern matches at the start of a line and only the match
//!   is boilerplate (a site tag glued to the title: `ONCE//The …`);
//! - `first-prefix`: the same, on the first line that is not furniture as
//!   a whole (a site name
//!   before a bar: `Cold War Files | Prague Spring …`);
//! - `block`: the pattern matches a whole header line ("Related Posts:") and
//!   the list lines under it, up to a blank line or a line that reads as a
//!   sentence, share its label.

use crate::error::{Error, Result};
use crate::regexes::{required_literals, Gated};
use crate::span::{Annotation, Attrs, Layer, Span};
use regex::Regex;
use serde::Deserialize;

/// The bundled rules.
pub const BUNDLED_RULES: &str = include_str!("../rules/boilerplate.jsonl");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Scope {
    Line,
    Prefix,
    #[serde(rename = "first-prefix")]
    FirstPrefix,
    Block,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    label: String,
    scope: Scope,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter: Vec<String>,
}

/// One compiled boilerplate rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, `label.slug`.
    pub id: String,
    /// Boilerplate label.
    pub label: &'static str,
    scope: Scope,
    /// `boilerplate:<id>`, the shared source of its annotations.
    source: std::sync::Arc<str>,
    /// Lines that the rule must flag (tests run them).
    pub examples: Vec<String>,
    /// Lines that no rule may flag (tests run them).
    pub counter: Vec<String>,
}

/// The compiled boilerplate detector. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: Vec<Rule>,
    /// Whole-line patterns of `line` and `block` rules, in rule order.
    /// Anchored regexes tried one by one fail at the first characters of a
    /// content line, which is faster than a `RegexSet` that must run every
    /// pattern to the end.
    /// Each has a gate without the word boundaries (`regexes::Gated`).
    whole: Vec<Gated>,
    whole_rule: Vec<usize>,
    /// For each byte, the whole-line patterns (bit `k` for `whole[k]`) a
    /// line starting with it may match: most content lines start where
    /// few rules can (a capital that no `(?i)posted|published…` begins
    /// with), and a search not made costs nothing, where a failing one
    /// pays its set-up.
    whole_by_first: Box<[u64; 256]>,
    /// The same for the byte a line ends with (prose ends with a full
    /// stop, where a masthead ends with "Desk" or "Wire").
    whole_by_last: Box<[u64; 256]>,
    /// The shortest and longest line, in bytes, each whole-line pattern
    /// can match: a paragraph is longer than any `.{0,80}` furniture.
    whole_len: Vec<(usize, usize)>,
    /// For the whole-line patterns that can begin at almost any byte, the
    /// literals of which a line must hold one for the pattern to match it
    /// (`regexes::required_literals`), ASCII case folded: a pattern such
    /// as `(?i).{0,200}\bcookies?\b…` walks its large lazy DFA over most
    /// of every line, where one pass of this automaton over the line says
    /// "no cookie here" for all such patterns at once.
    literals: Option<LineLiterals>,
    /// `prefix` and `first-prefix` rules, anchored at the line start.
    prefixes: Vec<(usize, Gated)>,
}

impl Cleaner {
    /// Compiles rules from JSONL text; `origin` names the file in errors.
    ///
    /// # Errors
    /// A malformed line, an unknown label or scope, or a pattern that does
    /// not compile is an error naming the file and line.
    pub fn from_jsonl(src: &str, origin: &str) -> Result<Cleaner> {
        let mut rules = Vec::new();
        let mut whole_pats = Vec::new();
        let mut whole_rule = Vec::new();
        let mut whole_by_first = Box::new([0u64; 256]);
        let mut whole_by_last = Box::new([0u64; 256]);
        let mut whole_len = Vec::new();
        let mut prefixes = Vec::new();
        let mut required = Vec::new();
        for (i, line) in src.lines().enumerate() {
            let at = |m: String| Error::msg(m).with_path(origin).with_line(i + 1);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let spec: RuleSpec =
                serde_json::from_str(line).map_err(|e| at(format!("bad rule: {e}")))?;
            let label = Layer::Boilerplate
                .label(&spec.label)
                .ok_or_else(|| at(format!("rule {}: unknown label {:?}", spec.id, spec.label)))?;
            let idx = rules.len();
            match spec.scope {
                Scope::Line | Scope::Block => {
                    let pat = format!("^(?:{})$", spec.pattern);
                    // Parsed once for the last-byte and length filters.
                    let hir = regex_syntax::Parser::new().parse(&pat).ok();
                    let re = Gated::new(&pat, Regex::new)
                        .map_err(|e| at(format!("rule {}: bad pattern: {e}", spec.id)))?;
                    // Rules past the 64th have no bit (they are always
                    // asked).
                    if let Some(bit) = 1u64.checked_shl(whole_pats.len() as u32) {
                        let first = first_bytes(&pat);
                        for (b, may) in whole_by_first.iter_mut().enumerate() {
                            if first.as_ref().is_none_or(|f| f[b]) {
                                *may |= bit;
                            }
                        }
                        let last = hir.as_ref().map(last_bytes);
                        for (b, may) in whole_by_last.iter_mut().enumerate() {
                            if last.as_ref().is_none_or(|f| f[b]) {
                                *may |= bit;
                            }
                        }
                        // Only for rules that can start at almost any byte
                        // (`.{0,80}…`): the others fail at their first bytes,
                        // faster than a search for their literals.
                        let open =
                            first.as_ref().is_none_or(|f| f.iter().filter(|&&b| b).count() > 128);
                        if open {
                            if let Some(lits) = required_literals(&spec.pattern) {
                                required.push((bit, lits));
                            }
                        }
                    }
                    whole_pats.push(re);
                    whole_rule.push(idx);
                    whole_len.push(hir.as_ref().map_or((0, usize::MAX), match_len_bounds));
                }
                Scope::Prefix | Scope::FirstPrefix => {
                    let re = Gated::new(&format!("^(?:{})", spec.pattern), Regex::new)
                        .map_err(|e| at(format!("rule {}: bad pattern: {e}", spec.id)))?;
                    prefixes.push((idx, re));
                }
            }
            rules.push(Rule {
                source: format!("boilerplate:{}", spec.id).into(),
                id: spec.id,
                label,
                scope: spec.scope,
                examples: spec.examples,
                counter: spec.counter,
            });
        }
        let literals = LineLiterals::new(&required);
        Ok(Cleaner {
            rules,
            whole: whole_pats,
            whole_rule,
            whole_by_first,
            whole_by_last,
            whole_len,
            literals,
            prefixes,
        })
    }

    /// The bundled rules.
    pub fn bundled() -> Cleaner {
        Cleaner::from_jsonl(BUNDLED_RULES, "rules/boilerplate.jsonl")
            .expect("bundled boilerplate rules compile (checked by tests)")
    }

    /// Compiles every rule's own regex now (they are otherwise compiled
    /// when first needed).
    ///
    /// # Errors
    /// The first regex that does not compile.
    pub fn compile_all(&self) -> std::result::Result<(), regex::Error> {
        self.whole
            .iter()
            .chain(self.prefixes.iter().map(|(_, g)| g))
            .try_for_each(|g| g.exact.compile())
    }

    /// The compiled rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The first rule whose whole-line pattern matches `line` (trimmed).
    fn whole_match(&self, line: &str) -> Option<usize> {
        let b = line.as_bytes();
        let mut may = match (b.first(), b.last()) {
            (Some(&f), Some(&l)) => {
                self.whole_by_first[usize::from(f)] & self.whole_by_last[usize::from(l)]
            }
            _ => u64::MAX,
        };
        if let Some(l) = &self.literals {
            if may & l.filtered != 0 {
                may &= !l.filtered | l.present(line);
            }
        }
        // Rules past the 64th have no bit and are always asked.
        self.whole
            .iter()
            .enumerate()
            .position(|(k, re)| {
                (k >= 64 || may & (1 << k) != 0)
                    && (self.whole_len[k].0..=self.whole_len[k].1).contains(&line.len())
                    && re.is_match(line)
            })
            .map(|k| self.whole_rule[k])
    }

    /// Finds the boilerplate spans of `text`, one per flagged line (or
    /// glued prefix), in text order.
    pub fn find(&self, text: &str) -> Vec<Annotation> {
        let mut out = Vec::new();
        let mut block: Option<usize> = None;
        let mut first = true;
        for (start, line) in lines(text) {
            let (ls, le) = trim_bounds(line);
            if ls == le {
                block = None;
                continue;
            }
            let trimmed = &line[ls..le];
            let span = Span::new(start + ls, start + le);
            let is_first = first;
            if let Some(r) = self.whole_match(trimmed) {
                if self.rules[r].scope == Scope::Block {
                    block = Some(r);
                }
                out.push(self.annotation(r, span));
                continue;
            }
            // The first line of content (after any whole-line furniture).
            first = false;
            if let Some(r) = block {
                if is_list_line(trimmed) {
                    out.push(self.annotation(r, span));
                    continue;
                }
                block = None;
            }
            for (r, re) in &self.prefixes {
                if self.rules[*r].scope == Scope::FirstPrefix && !is_first {
                    continue;
                }
                if let Some(m) = re.find(trimmed) {
                    let s = span.start;
                    let len = m.as_str().trim_end().len();
                    out.push(self.annotation(*r, Span::new(s, s + len)));
                    break;
                }
            }
        }
        out
    }

    fn annotation(&self, rule: usize, span: Span) -> Annotation {
        let r = &self.rules[rule];
        Annotation {
            span,
            layer: Layer::Boilerplate,
            label: r.label,
            source: r.source.clone(),
            attrs: Attrs::None,
        }
    }

    /// Which rule flags this single line, if any (used by rule tests).
    pub fn rule_for_line(&self, line: &str) -> Option<&Rule> {
        let found = self.find(line);
        let a = found.first()?;
        let id = a.source.strip_prefix("boilerplate:")?;
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The required literals of the whole-line patterns, in one automaton.
#[derive(Debug, Clone)]
struct LineLiterals {
    ac: aho_corasick::AhoCorasick,
    /// For each literal, the patterns (bits as in `whole_by_first`) that
    /// require it or another of theirs.
    rules: Vec<u64>,
    /// The patterns that have required literals.
    filtered: u64,
}

impl LineLiterals {
    /// The automaton of `required` (each pattern's bit and literals); none
    /// when no pattern has literals. Literals are ASCII case folded, which
    /// only adds texts that hold one.
    fn new(required: &[(u64, Vec<Vec<u8>>)]) -> Option<LineLiterals> {
        if required.is_empty() {
            return None;
        }
        let mut folded: Vec<(Vec<u8>, u64)> = required
            .iter()
            .flat_map(|(bit, lits)| lits.iter().map(move |l| (l.to_ascii_lowercase(), *bit)))
            .collect();
        folded.sort();
        let mut pats: Vec<Vec<u8>> = Vec::new();
        let mut rules: Vec<u64> = Vec::new();
        for (lit, bit) in folded {
            if pats.last() == Some(&lit) {
                *rules.last_mut().expect("one per literal") |= bit;
            } else {
                pats.push(lit);
                rules.push(bit);
            }
        }
        let filtered = required.iter().fold(0, |acc, (bit, _)| acc | bit);
        let ac =
            aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(&pats).ok()?;
        Some(LineLiterals { ac, rules, filtered })
    }

    /// The patterns whose literals `line` holds (bits of `filtered`).
    fn present(&self, line: &str) -> u64 {
        let mut found = 0;
        for m in self.ac.find_overlapping_iter(line) {
            found |= self.rules[m.pattern().as_usize()];
            if found == self.filtered {
                break;
            }
        }
        found
    }
}

/// The bytes a match of `pattern` at the start of a haystack can begin
/// with, from the first transitions of its lazy DFA (a byte that leads to
/// the dead state begins no match); `None` when the DFA cannot be built or
/// gives up. (A byte the DFA cannot decide is allowed.)
fn first_bytes(pattern: &str) -> Option<[bool; 256]> {
    use regex_automata::hybrid::dfa::DFA;
    use regex_automata::{Anchored, Input};
    let dfa =
        DFA::builder().configure(DFA::config().unicode_word_boundary(true)).build(pattern).ok()?;
    let mut cache = dfa.create_cache();
    let start =
        dfa.start_state_forward(&mut cache, &Input::new("").anchored(Anchored::Yes)).ok()?;
    let mut first = [false; 256];
    for (b, may) in (0..=255u8).zip(first.iter_mut()) {
        // A quit state (a word boundary before a non-ASCII byte) is a
        // state the DFA cannot decide: that byte may begin a match.
        *may = !dfa.next_state(&mut cache, start, b).ok()?.is_dead();
    }
    Some(first)
}

/// The bytes a match of `pattern` can end with (a superset): the last
/// bytes of the characters its last items can match, read off its syntax
/// tree (cheaper than building a reverse automaton for each rule); any
/// continuation byte stands for every character outside ASCII.
fn last_bytes(hir: &regex_syntax::hir::Hir) -> [bool; 256] {
    use regex_syntax::hir::{Class, Hir, HirKind};
    /// Marks the last bytes of `h`'s matches; true when `h` can match
    /// the empty string (the items before it can end a match then).
    fn mark(h: &Hir, last: &mut [bool; 256]) -> bool {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => true,
            HirKind::Literal(l) => {
                if let Some(&b) = l.0.last() {
                    last[usize::from(b)] = true;
                }
                l.0.is_empty()
            }
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                    for b in lo.min(0x80)..=hi.min(0x7f) {
                        last[b as usize] = true;
                    }
                    if hi >= 0x80 {
                        last[0x80..0xc0].fill(true);
                    }
                }
                false
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    last[usize::from(r.start())..=usize::from(r.end())].fill(true);
                }
                false
            }
            HirKind::Repetition(r) => mark(&r.sub, last) || r.min == 0,
            HirKind::Capture(c) => mark(&c.sub, last),
            HirKind::Concat(items) => items.iter().rev().all(|item| mark(item, last)),
            HirKind::Alternation(alts) => alts.iter().fold(false, |e, a| mark(a, last) | e),
        }
    }
    let mut last = [false; 256];
    mark(hir, &mut last);
    last
}

/// The shortest and longest match of `hir`, in bytes (`usize::MAX`
/// when there is no longest).
fn match_len_bounds(hir: &regex_syntax::hir::Hir) -> (usize, usize) {
    let p = hir.properties();
    (p.minimum_len().unwrap_or(0), p.maximum_len().unwrap_or(usize::MAX))
}

/// Lines of `text` with their byte start; line ends (`\n`, `\r\n`, and a
/// lone `\r` as old Mac files have) are not part of the line.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let rel = memchr::memchr2(b'\n', b'\r', &bytes[start..]);
        let (end, next) = match rel {
            None => (bytes.len(), bytes.len()),
            Some(k) => {
                let e = start + k;
                let crlf = bytes[e] == b'\r' && bytes.get(e + 1) == Some(&b'\n');
                (e, e + if crlf { 2 } else { 1 })
            }
        };
        pos = next;
        Some((start, &text[start..end]))
    })
}

/// Byte bounds of `line` without leading and trailing whitespace.
fn trim_bounds(line: &str) -> (usize, usize) {
    let s = line.len() - line.trim_start().len();
    let e = line.trim_end().len();
    (s, e.max(s))
}

/// A line that can belong to a list under a block header: short, and not
/// ending like a sentence.
fn is_list_line(line: &str) -> bool {
    line.chars().count() <= 160 && !line.ends_with(['.', '!', '?', ':', ';', '"', '”'])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first-byte table skips only rules that cannot match: on every
    /// line of the corpus, the rules' examples and counter-examples, and
    /// lines that start with each ASCII byte and some non-ASCII ones, the
    /// rule found is the one asking every rule finds. And it does skip.
    #[test]
    fn first_byte_table_changes_no_answer() {
        let c = Cleaner::bundled();
        let mut lines: Vec<String> = Vec::new();
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        for dir in [corpus.to_string(), format!("{corpus}/dev"), format!("{corpus}/test")] {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                if path.extension().is_some_and(|x| x == "txt") {
                    let text = std::fs::read_to_string(path).unwrap();
                    lines.extend(super::lines(&text).map(|(_, l)| l.trim().to_string()));
                }
            }
        }
        assert!(lines.len() > 500, "the corpus lines are read");
        for r in c.rules() {
            lines.extend(r.examples.iter().chain(&r.counter).cloned());
        }
        for b in 0x21..0x7fu8 {
            lines.push(format!("{}hare this:", b as char));
        }
        lines.extend(["Éditorial", "«Share»", "— Posted on March 3", "Москва"].map(String::from));
        // Required literals in Unicode case variants (the Kelvin sign is a
        // `k`, the long s an `s`, under `(?i)`), and far from the start.
        lines.extend(
            [
                "We use COO\u{212A}IES to give you the best experience. Accept",
                "Subſcribe to our daily newsletter",
                "ÉTÉ — Sign up for our newsletter and get the weekly digest in your inbox",
                "Copyright © 2024 Café Noir. All rights reserved.",
                "Вы можете SUBSCRIBE to the newsletter 🎉",
            ]
            .map(String::from),
        );
        // Last bytes and lengths at the filters' edges: a masthead with and
        // without a full stop, a line ending inside a character, furniture
        // longer than a bounded pattern allows.
        lines.extend(
            [
                "The Kyiv Desk",
                "The Kyiv Desk.",
                "THE BALTIC WIRE",
                "Leave a Reply",
                "Leave a Reply…",
                "All rights reserved",
                "All rights reservé",
                "Posted on March 3, 2019 by admin ✅",
            ]
            .map(String::from),
        );
        let long = "x".repeat(2400);
        lines.push(format!("Posted on {long}"));
        lines.push(format!("We use cookies {long} to improve your experience"));
        lines.push(format!("Related: {}", "ab ".repeat(60)));
        let mut flagged = 0;
        for line in lines.iter().filter(|l| !l.is_empty()) {
            let every = c.whole.iter().position(|re| re.is_match(line)).map(|k| c.whole_rule[k]);
            assert_eq!(c.whole_match(line), every, "{line:?}");
            flagged += usize::from(every.is_some());
        }
        assert!(flagged > 50, "the lines include boilerplate");
        let asked = |b: u8| c.whole_by_first[b as usize].count_ones() as usize;
        assert!(asked(b'T') < c.whole.len().min(64), "a capital T starts fewer rules");
        let ending = |b: u8| c.whole_by_last[b as usize].count_ones() as usize;
        assert!(ending(b'.') < c.whole.len().min(64), "a full stop ends fewer rules");
        assert!(c.whole_len.iter().any(|&(_, max)| max < 400), "some rules are short");
        // A sentence of content holds none of the cookie rule's literals.
        let l = c.literals.as_ref().expect("some rules have required literals");
        let cookies = c.whole_rule.iter().position(|&r| c.rules[r].id == "legal.cookies").unwrap();
        assert!(l.filtered & (1 << cookies) != 0);
        let content = "The Soviet Union cut off arms shipments to Iraq in 1987-88.";
        assert_eq!(l.present(content) & (1 << cookies), 0);
        assert_ne!(l.present("We use cookies.") & (1 << cookies), 0);
    }

    /// The last-byte sets from the syntax tree: literals, case variants,
    /// classes outside ASCII, optional and empty tails, alternations.
    #[test]
    fn last_bytes_of_patterns() {
        let set = |p: &str| {
            let l = last_bytes(&regex_syntax::Parser::new().parse(p).expect("parses"));
            (0..=255u8).filter(|&b| l[usize::from(b)]).collect::<Vec<u8>>()
        };
        assert_eq!(set("^(?:Desk|Wire)$"), b"ek".to_vec());
        // `(?i)k` is also the Kelvin sign, which ends with 0xaa.
        let k = set("(?i)desk");
        assert!(
            k.starts_with(b"Kk")
                && k.contains(&0xaa)
                && k.iter().all(|&b| b >= 0x80 || b"Kk".contains(&b))
        );
        assert_eq!(set(r"ab(?:cd)?\b"), b"bd".to_vec());
        assert_eq!(set("x|"), b"x".to_vec());
        let e = set("caf[é]");
        assert!(e.contains(&0xa9) && !e.contains(&b'f'), "é ends with 0xa9");
        let p = set(r"(?i)\p{L}+\.?");
        assert!(p.contains(&b'.') && p.contains(&b'z') && p.contains(&0x80) && !p.contains(&b' '));
    }

    #[test]
    fn every_rule_flags_its_examples_and_no_counter_example() {
        let c = Cleaner::bundled();
        let mut failures = Vec::new();
        for rule in c.rules() {
            for ex in &rule.examples {
                match c.rule_for_line(ex) {
                    Some(r) if r.label == rule.label => {}
                    other => failures.push(format!(
                        "{}: example {ex:?} gave {:?}",
                        rule.id,
                        other.map(|r| &r.id)
                    )),
                }
            }
            for ex in &rule.counter {
                if let Some(r) = c.rule_for_line(ex) {
                    failures.push(format!("{}: counter {ex:?} flagged by {}", rule.id, r.id));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn seed_furniture() {
        let text = "ONCE//The title\n\nSpread the love\n\nBody text.\n\nLeave a Reply\r\n\nYour email address will not be published. Required fields are marked *";
        let c = Cleaner::bundled();
        let got: Vec<(&str, &str)> =
            c.find(text).iter().map(|a| (a.label, a.span.of(text))).collect();
        assert_eq!(
            got,
            vec![
                ("SITE", "ONCE//"),
                ("SHARE", "Spread the love"),
                ("COMMENTS", "Leave a Reply"),
                (
                    "COMMENTS",
                    "Your email address will not be published. Required fields are marked *"
                ),
            ]
        );
    }

    #[test]
    fn line_ends_of_every_kind() {
        let t = "a\r\nb\rc\nd";
        let got: Vec<(usize, &str)> = lines(t).collect();
        assert_eq!(got, vec![(0, "a"), (3, "b"), (5, "c"), (7, "d")]);
        let c = Cleaner::bundled();
        let t = "Spread the love\rLeave a Reply\r";
        assert_eq!(c.find(t).len(), 2, "lone CR ends a line");
    }

    #[test]
    fn related_block_runs_to_the_blank_line() {
        let text = "Body.\nRelated Posts:\nIraq and Iran sign a deal\nThe Gulf War revisited\n\nNext paragraph of the article goes on here.";
        let c = Cleaner::bundled();
        let got: Vec<&str> = c.find(text).iter().map(|a| a.span.of(text)).collect();
        assert_eq!(
            got,
            vec!["Related Posts:", "Iraq and Iran sign a deal", "The Gulf War revisited"]
        );
    }

    #[test]
    fn malformed_rule_names_file_and_line() {
        let e = Cleaner::from_jsonl("\n{\"id\":\"x\"}\n", "r.jsonl").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().starts_with("r.jsonl:2:"), "{e}");
        let e = Cleaner::from_jsonl(
            r#"{"id":"x","label":"NOPE","scope":"line","pattern":"a"}"#,
            "r.jsonl",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown label"), "{e}");
    }
}
