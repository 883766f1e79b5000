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
use crate::regexes::{has_non_ascii_word, Gated, SharedOnce};
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
    /// Whole-line patterns of `line` and `block` rules, in rule order;
    /// asked only of a pattern that `gates` could not split (a branch past
    /// the 64th).
    whole: Vec<LineRegex>,
    whole_rule: Vec<usize>,
    /// What each branch of the whole-line patterns' top-level alternations
    /// needs of a line (`BranchGates`): a search not made costs nothing,
    /// where a failing one pays its set-up and its cache misses.
    gates: BranchGates,
    /// The whole-line regex of each branch with gates (`gates.checks[j]`):
    /// a line is asked only about the branches the gates admit. The
    /// pattern's own regex runs all its branches at once, so that an open
    /// one (a breadcrumb of letters) keeps it going over a line that the
    /// admitted branch ("More: …") gave up at its fifth byte.
    branches: Vec<LineRegex>,
    /// `prefix` and `first-prefix` rules, anchored at the line start.
    prefixes: Vec<(usize, Gated)>,
}

impl Cleaner {
    /// Compiles rules from JSONL text; `origin` names the file in errors.
    ///
    /// # Errors
    /// A malformed line, an unknown label or scope, or a pattern that does
    /// not parse is an error naming the file and line. The regexes are
    /// built when first needed: [`Cleaner::compile_all`] builds them all
    /// and reports a pattern over the regex crate's size limits (the
    /// bundled rules' tests run it).
    ///
    /// # Panics
    /// Later, in [`Cleaner::find`], at the first line that needs a regex
    /// over those limits, unless [`Cleaner::compile_all`] has reported it
    /// first. (Short lines may be answered by the pattern with its long
    /// counts left open, which can fit the limits when the pattern does
    /// not: check with `compile_all`, not with a sample text.)
    pub fn from_jsonl(src: &str, origin: &str) -> Result<Cleaner> {
        let mut rules = Vec::new();
        let mut whole_pats = Vec::new();
        let mut whole_rule = Vec::new();
        let mut gates = BranchGates::default();
        let mut prefixes = Vec::new();
        let mut branches = Vec::new();
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
                    let hir = regex_syntax::Parser::new()
                        .parse(&spec.pattern)
                        .map_err(|e| at(format!("rule {}: bad pattern: {e}", spec.id)))?;
                    branches.extend(gates.add_rule(&hir).iter().map(LineRegex::new));
                    whole_pats.push(LineRegex::new(&hir));
                    whole_rule.push(idx);
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
        gates.finish();
        Ok(Cleaner { rules, whole: whole_pats, whole_rule, gates, branches, prefixes })
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
        self.whole.iter().chain(&self.branches).try_for_each(LineRegex::compile)?;
        self.prefixes.iter().try_for_each(|(_, g)| g.exact.compile())
    }

    /// The compiled rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The first rule whose whole-line pattern matches `line` (trimmed),
    /// which holds the required literals of the sets `present`
    /// (`LineLiterals::hits`).
    fn whole_match(&self, line: &str, present: u64) -> Option<usize> {
        let g = &self.gates;
        let literal_gate = g.literals.as_ref().map_or(u64::MAX, |l| l.admitted(present));
        let may = g.admitted(line) & literal_gate;
        let mut words = None;
        let mut unicode_words = || *words.get_or_insert_with(|| has_non_ascii_word(line));
        (0..self.whole.len())
            .find(|&k| {
                // Patterns with a branch past the 64th are asked as a
                // whole.
                if g.always[k] {
                    return self.whole[k].is_match(line, &mut unicode_words);
                }
                let mut m = g.rule_bits[k] & may;
                while m != 0 {
                    let j = m.trailing_zeros() as usize;
                    m &= m - 1;
                    if self.branches[j].is_match(line, &mut unicode_words) {
                        return true;
                    }
                }
                false
            })
            .map(|k| self.whole_rule[k])
    }

    /// Finds the boilerplate spans of `text`, one per flagged line (or
    /// glued prefix), in text order.
    pub fn find(&self, text: &str) -> Vec<Annotation> {
        let mut out = Vec::new();
        let mut block: Option<usize> = None;
        let mut first = true;
        // The literals of the whole document in one search.
        let hits = self.gates.literals.as_ref().map_or(Vec::new(), |l| l.hits(text.as_bytes()));
        let mut hit = 0;
        for (start, line) in lines(text) {
            let (ls, le) = trim_bounds(line);
            if ls == le {
                block = None;
                continue;
            }
            let trimmed = &line[ls..le];
            let span = Span::new(start + ls, start + le);
            let is_first = first;
            while hits.get(hit).is_some_and(|h| h.0 < span.start) {
                hit += 1;
            }
            let mut present = 0;
            while let Some(&(_, bits)) = hits.get(hit).filter(|h| h.0 < span.end) {
                present |= bits;
                hit += 1;
            }
            if let Some(r) = self.whole_match(trimmed, present) {
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

/// A whole-line regex (`^(?:pattern)$`), built from the pattern's syntax
/// tree the first time a line is asked about. A Unicode word boundary
/// (`\b`) stops the regex crate's lazy DFA at the first non-ASCII byte,
/// and the slower engines it falls back to walk a `.{0,200}` pattern over
/// the line at tens of nanoseconds a byte; so a pattern with one is also
/// built with ASCII boundaries, which answer the same on a line whose
/// non-ASCII characters are none of them word characters (’ “ — • © €:
/// most lines of English news), and otherwise a gate without the
/// boundaries is asked first. All three are rewritten trees, never
/// printed and parsed again (a printed tree does not always parse back to
/// itself: `(?:x+)?` prints as the lazy `x+?`).
#[derive(Debug, Clone)]
struct LineRegex {
    /// `exact` with ASCII word boundaries (none without Unicode ones).
    ascii: Option<TreeRegex>,
    /// `exact` without its word boundaries (none without any).
    gate: Option<TreeRegex>,
    exact: TreeRegex,
    /// For lines of at most so many bytes, the same regexes with their
    /// long counted repetitions of one character made open
    /// ([`open_repetitions`]): on such a line the count never binds, and
    /// the lazy DFA of `.{0,200}` has a state for every count it has seen.
    short: Option<(usize, Box<LineRegex>)>,
}

impl LineRegex {
    /// The regexes of the whole-line match of `h`.
    fn new(h: &regex_syntax::hir::Hir) -> LineRegex {
        use regex_syntax::hir::{Hir, Look};
        let whole = Hir::concat(vec![Hir::look(Look::Start), h.clone(), Hir::look(Look::End)]);
        let short = open_repetitions(&whole)
            .map(|(bound, open)| (bound, Box::new(LineRegex::of_whole(open))));
        LineRegex { short, ..LineRegex::of_whole(whole) }
    }

    /// [`LineRegex::new`] of the whole-line tree `whole`, without `short`.
    fn of_whole(whole: regex_syntax::hir::Hir) -> LineRegex {
        use regex_syntax::hir::{Hir, HirKind, Look};
        let looks = whole.properties().look_set();
        let ascii_whole = ascii_boundaries(&whole);
        // An ASCII `\B` holds inside a character (between two non-word
        // bytes), where the Unicode one is never asked: a pattern with
        // `\B` keeps only the gate.
        let ascii = (ascii_whole != whole && !looks.contains(Look::WordUnicodeNegate))
            .then(|| TreeRegex::new(ascii_whole));
        let is_word_look = |l: &Look| {
            !matches!(
                l,
                Look::Start
                    | Look::End
                    | Look::StartLF
                    | Look::EndLF
                    | Look::StartCRLF
                    | Look::EndCRLF
            )
        };
        let unbounded = rebuild(&whole, &|leaf| match leaf.kind() {
            HirKind::Look(l) if is_word_look(l) => Some(Hir::empty()),
            _ => None,
        });
        let gate = (unbounded != whole).then(|| TreeRegex::new(unbounded));
        LineRegex { ascii, gate, exact: TreeRegex::new(whole), short: None }
    }

    /// Whether the pattern matches `line`; `unicode_words` says whether
    /// some non-ASCII character of it is a word character.
    ///
    /// # Panics
    /// If the pattern is over the regex crate's size limits (the bundled
    /// rules are not: `compile_all` builds every regex, and the tests run
    /// it).
    #[inline]
    fn is_match(&self, line: &str, unicode_words: impl FnOnce() -> bool) -> bool {
        if let Some((bound, short)) = &self.short {
            if line.len() <= *bound {
                return short.is_match(line, unicode_words);
            }
        }
        if let Some(ascii) = self.ascii.as_ref().and_then(TreeRegex::get) {
            if !unicode_words() {
                return ascii.is_match(line);
            }
        }
        if self.gate.as_ref().and_then(TreeRegex::get).is_some_and(|g| !g.is_match(line)) {
            return false;
        }
        match self.exact.get() {
            Some(re) => re.is_match(line),
            None => panic!("a boilerplate pattern does not compile: {:?}", self.exact.build()),
        }
    }

    /// Builds the regexes now.
    fn compile(&self) -> std::result::Result<(), regex::Error> {
        self.exact.build().map_err(|e| regex::Error::Syntax(e.to_string()))?;
        self.short.as_ref().map_or(Ok(()), |(_, short)| short.compile())
    }
}

/// A regex built from a syntax tree the first time it is asked for, with
/// regex's own engine (`regex_automata::meta`, which `regex::Regex`
/// wraps: the same matches), once for all clones (`SharedOnce`).
#[derive(Debug, Clone)]
struct TreeRegex {
    hir: std::sync::Arc<regex_syntax::hir::Hir>,
    regex: SharedOnce<std::result::Result<regex_automata::meta::Regex, String>>,
}

impl TreeRegex {
    fn new(hir: regex_syntax::hir::Hir) -> TreeRegex {
        TreeRegex { hir: hir.into(), regex: SharedOnce::default() }
    }

    /// The built regex, or the error that building it gave.
    #[inline]
    fn build(&self) -> std::result::Result<&regex_automata::meta::Regex, &str> {
        self.regex
            .get_or_init(|| {
                regex_automata::meta::Regex::builder()
                    .build_from_hir(&self.hir)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The regex; none when it does not build.
    #[inline]
    fn get(&self) -> Option<&regex_automata::meta::Regex> {
        self.build().ok()
    }
}

/// `h` with its Unicode word boundaries made ASCII ones (`\b` becomes
/// `(?-u:\b)`; `\B` is left as it is).
fn ascii_boundaries(h: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind, Look};
    rebuild(h, &|leaf| {
        let HirKind::Look(l) = leaf.kind() else { return None };
        Some(Hir::look(match l {
            Look::WordUnicode => Look::WordAscii,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }))
    })
}

/// The shortest count that makes a repetition "long" for
/// [`open_repetitions`]: shorter ones (`s?`, `\d{1,4}`) stay as they are,
/// so that the bound stays above most lines' lengths.
const LONG_REPETITION: u32 = 16;

/// `h` with every repetition of one character (a class) at most `n`
/// times, `n` ≥ [`LONG_REPETITION`], made open (`.{0,200}` → `.{0,}`),
/// and the least such `n`; `None` if there is none. Each turn of such a
/// repetition reads one character, so on a text of at most `n` bytes it
/// never turns more than `n` times: the two trees match the same texts of
/// that length.
fn open_repetitions(h: &regex_syntax::hir::Hir) -> Option<(usize, regex_syntax::hir::Hir)> {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    let bound = std::cell::Cell::new(u32::MAX);
    let open = rebuild(h, &|leaf| match leaf.kind() {
        HirKind::Repetition(r)
            if matches!(r.sub.kind(), HirKind::Class(_))
                && r.max.is_some_and(|n| n >= LONG_REPETITION.max(r.min)) =>
        {
            bound.set(bound.get().min(r.max.unwrap_or(u32::MAX)));
            Some(Hir::repetition(Repetition { max: None, ..r.clone() }))
        }
        _ => None,
    });
    (bound.get() != u32::MAX).then(|| (bound.get() as usize, open))
}

/// `h` with each item that `leaf` replaces replaced, the groups,
/// repetitions, sequences and alternations around them kept.
fn rebuild(
    h: &regex_syntax::hir::Hir,
    leaf: &dyn Fn(&regex_syntax::hir::Hir) -> Option<regex_syntax::hir::Hir>,
) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
    if let Some(new) = leaf(h) {
        return new;
    }
    match h.kind() {
        HirKind::Repetition(r) => {
            Hir::repetition(Repetition { sub: Box::new(rebuild(&r.sub, leaf)), ..r.clone() })
        }
        HirKind::Capture(c) => {
            Hir::capture(Capture { sub: Box::new(rebuild(&c.sub, leaf)), ..c.clone() })
        }
        HirKind::Concat(items) => Hir::concat(items.iter().map(|i| rebuild(i, leaf)).collect()),
        HirKind::Alternation(alts) => {
            Hir::alternation(alts.iter().map(|a| rebuild(a, leaf)).collect())
        }
        _ => h.clone(),
    }
}

/// What a line must be like for one branch of a whole-line pattern to
/// match it, each a necessary condition read off the branch's syntax tree.
/// Branches, not whole patterns, because a pattern's branches need
/// different things: "read more…" starts with an `r`, a breadcrumb
/// ("Home » World") holds no comma, and neither holds for any branch of a
/// line of prose that starts with "The" and ends with a full stop.
#[derive(Debug, Clone)]
struct BranchGates {
    /// Per whole-line pattern, its branches' bits (bit `j` for
    /// `checks[j]`).
    rule_bits: Vec<u64>,
    /// Per whole-line pattern: true when some branch has no bit (past the
    /// 64th): it is always asked.
    always: Vec<bool>,
    /// The branches a line starting with each byte may match.
    by_first: Vec<u64>,
    /// The branches a line ending with each byte may match (prose ends
    /// with a full stop, a masthead with "Desk" or "Wire").
    by_last: Vec<u64>,
    /// For each byte, the branches none of whose matches holds it.
    forbid: Vec<u64>,
    /// The branches with some byte in `forbid` (the others take any).
    restricting: u64,
    /// Length bounds and first and last literals of each branch.
    checks: Vec<BranchCheck>,
    /// For the branches that can begin and end with almost anything
    /// (`.{0,200}\bcookies?\b…`), sets of literals of each of which a
    /// line must hold one (`requirement_sets`), ASCII case folded: one
    /// search of the document for them says "no cookie here" for every
    /// line and every such branch at once, where each pattern walks its
    /// large lazy DFA over the line.
    literals: Option<LineLiterals>,
    /// The literal sets of those branches, until `finish`.
    required: Vec<(u64, Vec<Vec<Vec<u8>>>)>,
}

/// Necessary conditions of one branch that take a few operations a line.
#[derive(Debug, Clone)]
struct BranchCheck {
    /// The shortest and longest match, in bytes: a paragraph is longer
    /// than any `.{0,80}` furniture.
    len: (usize, usize),
    /// The first bytes (up to eight) of its matches, ASCII lower case, as
    /// `Affix`es of a line's first eight bytes; `None` when not known.
    heads: Option<Vec<Affix>>,
    /// The same for the last bytes.
    tails: Option<Vec<Affix>>,
}

/// Up to eight bytes that a line's first (or last) eight bytes must
/// hold at the same place: `word & mask == value`, and the line is at
/// least `len` bytes long.
#[derive(Debug, Clone, Copy)]
struct Affix {
    value: u64,
    mask: u64,
    len: usize,
}

impl Affix {
    /// The affix of `lit`'s first (or last) eight bytes.
    fn new(lit: &[u8], head: bool) -> Affix {
        let n = lit.len().min(8);
        let mut w = [0u8; 8];
        if head {
            w[..n].copy_from_slice(&lit[..n]);
        } else {
            w[8 - n..].copy_from_slice(&lit[lit.len() - n..]);
        }
        let mask = if n == 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        let mask = if head { mask } else { mask.rotate_right(8 * n as u32) };
        Affix { value: word(w) & mask, mask, len: n }
    }

    #[inline]
    fn holds(&self, len: usize, w: u64) -> bool {
        len >= self.len && w & self.mask == self.value
    }
}

/// The ASCII lower case of eight bytes, as one word.
#[inline]
fn word(mut w: [u8; 8]) -> u64 {
    for b in &mut w {
        *b = b.to_ascii_lowercase();
    }
    u64::from_le_bytes(w)
}

/// The first and last eight bytes of `b` (zeros where it is shorter), as
/// `Affix` words.
#[inline]
fn ends(b: &[u8]) -> (u64, u64) {
    let n = b.len().min(8);
    let (mut h, mut t) = ([0u8; 8], [0u8; 8]);
    h[..n].copy_from_slice(&b[..n]);
    t[8 - n..].copy_from_slice(&b[b.len() - n..]);
    (word(h), word(t))
}

impl Default for BranchGates {
    /// No pattern yet: the byte tables sized, so that a rule set without
    /// whole-line rules admits nothing rather than indexing empty tables.
    fn default() -> BranchGates {
        BranchGates {
            rule_bits: Vec::new(),
            always: Vec::new(),
            by_first: vec![0; 256],
            by_last: vec![0; 256],
            forbid: vec![0; 256],
            restricting: 0,
            checks: Vec::new(),
            literals: None,
            required: Vec::new(),
        }
    }
}

impl BranchGates {
    /// Adds a whole-line pattern's branches, and returns each branch that
    /// was given a bit, in bit order.
    fn add_rule(&mut self, hir: &regex_syntax::hir::Hir) -> Vec<regex_syntax::hir::Hir> {
        use regex_syntax::hir::literal;
        let mut bits = 0u64;
        let mut always = false;
        let mut kept = Vec::new();
        let branches = crate::regexes::top_branches(hir);
        let affixes = |kind: literal::ExtractKind, h: &regex_syntax::hir::Hir| {
            let head = matches!(kind, literal::ExtractKind::Prefix);
            let mut e = literal::Extractor::new();
            e.kind(kind);
            let mut out: Vec<Affix> =
                e.extract(h).literals()?.iter().map(|l| Affix::new(l.as_bytes(), head)).collect();
            out.sort_by_key(|a| (a.mask, a.value));
            out.dedup_by_key(|a| (a.mask, a.value));
            Some(out)
        };
        for h in branches {
            let Some(bit) = 1u64.checked_shl(self.checks.len() as u32) else {
                always = true;
                continue;
            };
            bits |= bit;
            let (first, last) = (edge_bytes(h, true), edge_bytes(h, false));
            let allowed = allowed_bytes(h);
            for b in 0..256 {
                if first[b] {
                    self.by_first[b] |= bit;
                }
                if last[b] {
                    self.by_last[b] |= bit;
                }
                // Lines hold no line ends.
                if !allowed[b] && b != usize::from(b'\n') && b != usize::from(b'\r') {
                    self.forbid[b] |= bit;
                    self.restricting |= bit;
                }
            }
            let check = BranchCheck {
                len: match_len_bounds(h),
                heads: affixes(literal::ExtractKind::Prefix, h),
                tails: affixes(literal::ExtractKind::Suffix, h),
            };
            // Only for branches that can begin and end with almost any
            // byte: the others fail at their ends, faster than a search
            // for their literals.
            let open = |set: &[bool; 256]| set.iter().filter(|&&b| b).count() > 128;
            if check.heads.is_none() && check.tails.is_none() && open(&first) && open(&last) {
                let sets = requirement_sets(h);
                if !sets.is_empty() {
                    self.required.push((bit, sets));
                }
            }
            self.checks.push(check);
            kept.push(h.clone());
        }
        self.rule_bits.push(bits);
        self.always.push(always);
        kept
    }

    /// Builds the literal automaton once every rule is in.
    fn finish(&mut self) {
        self.literals = LineLiterals::new(&std::mem::take(&mut self.required));
    }

    /// The branches (bits) that may match `line` by the tests that take
    /// a few operations (the literal automaton is left to the caller).
    #[inline]
    fn admitted(&self, line: &str) -> u64 {
        let b = line.as_bytes();
        let (Some(&f), Some(&l)) = (b.first(), b.last()) else { return u64::MAX };
        let mut may = self.by_first[usize::from(f)] & self.by_last[usize::from(l)];
        let (head, tail) = ends(b);
        let mut m = may;
        while m != 0 {
            let j = m.trailing_zeros() as usize;
            m &= m - 1;
            let c = &self.checks[j];
            let ok = (c.len.0..=c.len.1).contains(&b.len())
                && c.heads.as_ref().is_none_or(|h| h.iter().any(|a| a.holds(b.len(), head)))
                && c.tails.as_ref().is_none_or(|t| t.iter().any(|a| a.holds(b.len(), tail)));
            if !ok {
                may &= !(1 << j);
            }
        }
        if may & self.restricting != 0 {
            let mut forbid = 0;
            for &x in b {
                forbid |= self.forbid[usize::from(x)];
                if may & self.restricting & !forbid == 0 {
                    break;
                }
            }
            may &= !forbid;
        }
        may
    }
}

/// The required literals of the whole-line patterns, in one automaton.
#[derive(Debug, Clone)]
struct LineLiterals {
    ac: aho_corasick::AhoCorasick,
    /// For each literal (ASCII lower case), the literal sets (one bit
    /// each) that hold it or a literal that starts with it or that it
    /// starts with.
    sets: Vec<u64>,
    /// Each branch (bit as in `BranchGates`) with literal sets, and the
    /// sets (bits) of each of which a line must hold a literal.
    needs: Vec<(u64, u64)>,
    /// The branches that have literal sets.
    filtered: u64,
}

impl LineLiterals {
    /// The automaton of `required` (each branch's bit and literal sets);
    /// none when no branch has any. The literals are in ASCII lower case
    /// (`requirement_sets`). Sets past the 64th are left out (a branch
    /// then needs fewer).
    fn new(required: &[(u64, Vec<Vec<Vec<u8>>>)]) -> Option<LineLiterals> {
        let mut all: Vec<(Vec<u8>, u64)> = Vec::new();
        let mut needs: Vec<(u64, u64)> = Vec::new();
        let mut next = 0u32;
        for (bit, sets) in required {
            let mut need = 0u64;
            for lits in sets {
                let Some(set) = 1u64.checked_shl(next) else { break };
                next += 1;
                need |= set;
                all.extend(lits.iter().map(|l| (l.clone(), set)));
            }
            if need != 0 {
                needs.push((*bit, need));
            }
        }
        if needs.is_empty() {
            return None;
        }
        all.sort();
        let mut pats: Vec<Vec<u8>> = Vec::new();
        let mut sets: Vec<u64> = Vec::new();
        for (lit, set) in all {
            if pats.last() == Some(&lit) {
                *sets.last_mut().expect("one per literal") |= set;
            } else {
                pats.push(lit);
                sets.push(set);
            }
        }
        // A leftmost-first search reports one literal where several
        // start: the others are prefixes of it or it of them, and each
        // literal answers for them all.
        let closed: Vec<u64> = pats
            .iter()
            .map(|p| {
                pats.iter()
                    .zip(&sets)
                    .filter(|(q, _)| p.starts_with(q) || q.starts_with(p))
                    .fold(0, |acc, (_, set)| acc | set)
            })
            .collect();
        let filtered = needs.iter().fold(0, |acc, (bit, _)| acc | bit);
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&pats)
            .ok()?;
        Some(LineLiterals { ac, sets: closed, needs, filtered })
    }

    /// Where a literal starts in `text`, with the sets that may hold it,
    /// in text order: every start of a literal (each search resumes one
    /// byte after the last start). The search runs on the text in ASCII
    /// lower case, where the literals are, so that the automaton needs no
    /// case variants and its SIMD prefilter applies.
    fn hits(&self, text: &[u8]) -> Vec<(usize, u64)> {
        let lower = text.to_ascii_lowercase();
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(m) = self.ac.find(aho_corasick::Input::new(&lower).span(at..lower.len())) {
            out.push((m.start(), self.sets[m.pattern().as_usize()]));
            at = m.start() + 1;
        }
        out
    }

    /// The branches that a line holding literals of the sets `present`
    /// may match: those without literal sets, and those it holds a
    /// literal of each set of.
    #[inline]
    fn admitted(&self, present: u64) -> u64 {
        self.needs
            .iter()
            .filter(|(_, need)| need & !present == 0)
            .fold(!self.filtered, |acc, (bit, _)| acc | bit)
    }

    /// The literal sets `line` holds a literal of.
    #[cfg(test)]
    fn present(&self, line: &str) -> u64 {
        self.hits(line.as_bytes()).iter().fold(0, |acc, (_, sets)| acc | sets)
    }
}

/// Sets of literals (at most three), of each of which every match of the
/// branch `h` holds one, ASCII case folded, none shorter than three
/// bytes. For each item of the branch, the prefix literals of the items
/// from it on (`regex_syntax`'s extractor, the literals regex's own
/// prefilters use), when they are finitely many; the sets with the
/// longest shortest literal are kept. Folding the pattern first
/// (`ascii_folded`) leaves `(?i)newsletter` two literals (`newsletter`
/// and, for the long s, `newſletter`), where its thousand case variants
/// made the extractor cut it to `news`.
fn requirement_sets(h: &regex_syntax::hir::Hir) -> Vec<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::{Hir, HirKind};
    /// The shortest literal worth a search of its own.
    const MIN_LEN: usize = 3;
    const MAX_SETS: usize = 3;
    let folded = ascii_folded(h);
    let items = match folded.kind() {
        HirKind::Concat(items) => items.as_slice(),
        _ => std::slice::from_ref(&folded),
    };
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let mut found: Vec<(usize, usize, Vec<Vec<u8>>)> = (0..items.len())
        .filter_map(|k| {
            let seq = extractor.extract(&Hir::concat(items[k..].to_vec()));
            let min = seq.min_literal_len()?;
            let mut lits: Vec<Vec<u8>> =
                seq.literals()?.iter().map(|l| l.as_bytes().to_vec()).collect();
            lits.sort();
            lits.dedup();
            (min >= MIN_LEN).then_some((min, lits.len(), lits))
        })
        .collect();
    found.sort_by_key(|(min, n, _)| (std::cmp::Reverse(*min), *n));
    // A set that every literal of a set already kept holds a literal of
    // (`kie` after `cookie`, from the items inside the same word) says
    // nothing more.
    let implied = |kept: &[Vec<u8>], lits: &[Vec<u8>]| {
        kept.iter().all(|a| lits.iter().any(|l| a.windows(l.len()).any(|w| w == l.as_slice())))
    };
    let mut out: Vec<Vec<Vec<u8>>> = Vec::new();
    for (_, _, lits) in found {
        if out.len() < MAX_SETS && !out.iter().any(|kept| implied(kept, &lits)) {
            out.push(lits);
        }
    }
    out
}

/// `h` with the ASCII capitals of its literals and classes made small
/// letters. A text that matches `h` matches it in ASCII lower case: a
/// capital in the text became a small letter in the class or literal
/// that matched it, and nothing else changed (non-ASCII characters, and
/// so word boundaries, are the same in both).
fn ascii_folded(h: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{
        Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    };
    /// The ranges of `lo..=hi`, its part in `A..=Z` moved to `a..=z`.
    fn fold(lo: u32, hi: u32) -> Vec<(u32, u32)> {
        let (a, z) = (u32::from(b'A'), u32::from(b'Z'));
        if hi < a || lo > z {
            return vec![(lo, hi)];
        }
        let mut out = vec![(lo.max(a) + 32, hi.min(z) + 32)];
        if lo < a {
            out.push((lo, a - 1));
        }
        if hi > z {
            out.push((z + 1, hi));
        }
        out
    }
    // The ends of the split ranges are ASCII or the class's own ends.
    let char_of = |c: u32| char::from_u32(c).expect("a range end is a character");
    rebuild(h, &|leaf| match leaf.kind() {
        HirKind::Literal(l) => Some(Hir::literal(l.0.to_ascii_lowercase())),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges().iter().flat_map(|r| fold(r.start().into(), r.end().into()));
            Some(Hir::class(Class::Unicode(ClassUnicode::new(
                ranges.map(|(lo, hi)| ClassUnicodeRange::new(char_of(lo), char_of(hi))),
            ))))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let ranges = c.ranges().iter().flat_map(|r| fold(r.start().into(), r.end().into()));
            Some(Hir::class(Class::Bytes(ClassBytes::new(
                ranges.map(|(lo, hi)| ClassBytesRange::new(lo as u8, hi as u8)),
            ))))
        }
        _ => None,
    })
}

/// The bytes a match of `hir` can begin (`first`) or end with (a
/// superset), read off its syntax tree: the first (last) bytes of the
/// characters its first (last) items can match; outside ASCII, the lead
/// bytes of the characters a class holds (the UTF-8 lead byte grows with
/// the code point) or, at the end, any continuation byte.
fn edge_bytes(hir: &regex_syntax::hir::Hir, first: bool) -> [bool; 256] {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn lead(c: u32) -> usize {
        (match c {
            0..0x80 => c,
            0x80..0x800 => 0xc0 | (c >> 6),
            0x800..0x10000 => 0xe0 | (c >> 12),
            _ => 0xf0 | (c >> 18),
        }) as usize
    }
    /// Marks the edge bytes of `h`'s matches; true when `h` can match
    /// the empty string (the items after (before) it can begin (end) a
    /// match then).
    fn mark(h: &Hir, first: bool, edge: &mut [bool; 256]) -> bool {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => true,
            HirKind::Literal(l) => {
                if let Some(&b) = if first { l.0.first() } else { l.0.last() } {
                    edge[usize::from(b)] = true;
                }
                l.0.is_empty()
            }
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                    for b in lo.min(0x80)..=hi.min(0x7f) {
                        edge[b as usize] = true;
                    }
                    if hi >= 0x80 {
                        if first {
                            edge[lead(lo.max(0x80))..=lead(hi)].fill(true);
                        } else {
                            edge[0x80..0xc0].fill(true);
                        }
                    }
                }
                false
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    edge[usize::from(r.start())..=usize::from(r.end())].fill(true);
                }
                false
            }
            HirKind::Repetition(r) => mark(&r.sub, first, edge) || r.min == 0,
            HirKind::Capture(c) => mark(&c.sub, first, edge),
            HirKind::Concat(items) if first => items.iter().all(|item| mark(item, first, edge)),
            HirKind::Concat(items) => items.iter().rev().all(|item| mark(item, first, edge)),
            HirKind::Alternation(alts) => alts.iter().fold(false, |e, a| mark(a, first, edge) | e),
        }
    }
    let mut edge = [false; 256];
    mark(hir, first, &mut edge);
    edge
}

/// The bytes a match of `hir` can hold (a superset): its literals' bytes,
/// its classes' ASCII characters, and every byte outside ASCII when a
/// class holds a character there.
fn allowed_bytes(hir: &regex_syntax::hir::Hir) -> [bool; 256] {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn mark(h: &Hir, allowed: &mut [bool; 256]) {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => l.0.iter().for_each(|&b| allowed[usize::from(b)] = true),
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                    for b in lo.min(0x80)..=hi.min(0x7f) {
                        allowed[b as usize] = true;
                    }
                    if hi >= 0x80 {
                        allowed[0x80..].fill(true);
                    }
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    allowed[usize::from(r.start())..=usize::from(r.end())].fill(true);
                }
            }
            HirKind::Repetition(r) => mark(&r.sub, allowed),
            HirKind::Capture(c) => mark(&c.sub, allowed),
            HirKind::Concat(items) | HirKind::Alternation(items) => {
                items.iter().for_each(|item| mark(item, allowed));
            }
        }
    }
    let mut allowed = [false; 256];
    mark(hir, &mut allowed);
    allowed
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
                // Word characters outside ASCII next to the words, where
                // Unicode and ASCII word boundaries differ.
                "éSubscribe to our newsletter",
                "Subscribe to our newsletterй",
                "Join our mailing list — é",
                "Poland will join NATO, the minister said, and its inbox is full.",
                "We use cookiesé to improve your experience.",
                "We use cookies to improve your experienceé",
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
        // The rules' own patterns, as the rule file has them: the
        // reference is not built the way the cleaner builds its regexes.
        let own: Vec<Regex> = BUNDLED_RULES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| serde_json::from_str::<RuleSpec>(l).unwrap())
            .filter(|r| matches!(r.scope, Scope::Line | Scope::Block))
            .map(|r| Regex::new(&format!("^(?:{})$", r.pattern)).unwrap())
            .collect();
        assert_eq!(own.len(), c.whole.len());
        let mut flagged = 0;
        for line in lines.iter().filter(|l| !l.is_empty()) {
            let every = own.iter().position(|re| re.is_match(line)).map(|k| c.whole_rule[k]);
            let present = c.gates.literals.as_ref().map_or(0, |l| l.present(line));
            assert_eq!(c.whole_match(line, present), every, "{line:?}");
            flagged += usize::from(every.is_some());
        }
        assert!(flagged > 50, "the lines include boilerplate");
        let g = &c.gates;
        let branches = g.checks.len().min(64);
        let asked = |b: u8| g.by_first[usize::from(b)].count_ones() as usize;
        assert!(asked(b'T') < branches, "a capital T starts fewer branches");
        let ending = |b: u8| g.by_last[usize::from(b)].count_ones() as usize;
        assert!(ending(b'.') < branches, "a full stop ends fewer branches");
        assert!(g.checks.iter().any(|ch| ch.len.1 < 400), "some branches are short");
        assert!(g.checks.iter().any(|ch| ch.heads.is_some()), "some branches have heads");
        assert!(g.checks.iter().any(|ch| ch.tails.is_some()), "some branches have tails");
        let prose = "The Soviet Union cut off arms shipments to Iraq in 1987-88.";
        assert_eq!(g.admitted(prose) & !g.literals.as_ref().unwrap().filtered, 0);
        // A sentence of content holds none of the cookie rule's literals.
        let l = g.literals.as_ref().expect("some rules have required literals");
        let cookies = c.whole_rule.iter().position(|&r| c.rules[r].id == "legal.cookies").unwrap();
        let cookies = g.rule_bits[cookies];
        let cookies = cookies & l.filtered;
        assert!(cookies != 0);
        assert_eq!(l.admitted(l.present(prose)) & cookies, 0);
        // Both of its open branch's sets: a cookie and a reason to accept it.
        assert_eq!(l.admitted(l.present("We use cookies.")) & cookies, 0);
        assert_ne!(l.admitted(l.present("We use cookies; accept them.")) & cookies, 0);
    }

    /// The affix words: first and last bytes of lines shorter and longer
    /// than eight bytes, ASCII case folded, non-ASCII bytes as they are.
    #[test]
    fn affixes_hold_where_the_line_has_them() {
        let table: &[(&str, &str, bool, bool)] = &[
            ("Read more »", "read", true, true),
            ("Read more »", "rEAD MORE", true, true),
            ("Read more »", "read less", true, false),
            ("Rea", "read", true, false),
            ("", "r", true, false),
            ("Kyiv Desk", "desk", false, true),
            ("Kyiv Desk", "kyiv desk", false, true),
            ("Desk", "a desk", false, false),
            ("écrit » Été", "Été", false, true),
            ("écrit » Été", "été", false, false),
            ("écrit » Été", "écrit", true, true),
            ("ÉCRIT", "écrit", true, false),
            ("x😀", "😀", false, true),
            ("Москва Wire", "москва", true, false),
            ("Москва Wire", "Москва", true, true),
            ("abcdefghijklmnop", "ghijklmnop", false, true),
            ("abcdefghijklmnop", "xhijklmnop", false, true),
            ("abcdefghijklmnop", "hijklmnoq", false, false),
        ];
        for &(line, lit, head, want) in table {
            let (h, t) = ends(line.as_bytes());
            let a = Affix::new(lit.as_bytes(), head);
            assert_eq!(a.holds(line.len(), if head { h } else { t }), want, "{line:?} {lit:?}");
        }
    }

    /// The edge-byte sets from the syntax tree: literals, case variants,
    /// classes outside ASCII, optional and empty tails, alternations.
    #[test]
    fn edge_bytes_of_patterns() {
        let bytes = |p: &str, first: bool| {
            let l = edge_bytes(&regex_syntax::Parser::new().parse(p).expect("parses"), first);
            (0..=255u8).filter(|&b| l[usize::from(b)]).collect::<Vec<u8>>()
        };
        let set = |p: &str| bytes(p, false);
        assert_eq!(bytes("^(?:Desk|Wire)$", true), b"DW".to_vec());
        assert_eq!(bytes(r"(?:ab)?\b[c-d]x", true), b"acd".to_vec());
        // é begins with 0xc3, Ж with 0xd0, € with 0xe2, 😀 with 0xf0.
        assert_eq!(bytes("[é]|Ж|[€-€]|😀", true), vec![0xc3, 0xd0, 0xe2, 0xf0]);
        let l = bytes(r"\p{L}", true);
        assert!(l.contains(&b'a') && l.contains(&0xc3) && !l.contains(&0x80) && !l.contains(&b' '));
        let allowed = |p: &str| {
            let a = allowed_bytes(&regex_syntax::Parser::new().parse(p).expect("parses"));
            (0..=255u8).filter(|&b| a[usize::from(b)]).collect::<Vec<u8>>()
        };
        assert_eq!(allowed(r"^a(?:b|c)*\bd$"), b"abcd".to_vec());
        assert!(allowed("[a-cé]").ends_with(&[0xfe, 0xff]) && allowed("é") == [0xa9, 0xc3]);
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

    /// A rule set with no whole-line rule (only a prefix rule, or none)
    /// finds its prefixes and nothing else, on any line.
    #[test]
    fn rule_sets_without_line_rules_work() {
        let text = "NEWSDESK//Troops left.\nA line of prose é € 😀.\n\nЕщё строка.";
        let prefix_only = Cleaner::from_jsonl(
            r#"{"id":"t","label":"SITE","scope":"prefix","pattern":"[A-Z]{2,20}//"}"#,
            "r.jsonl",
        )
        .unwrap();
        let got: Vec<&str> = prefix_only.find(text).iter().map(|a| a.span.of(text)).collect();
        assert_eq!(got, vec!["NEWSDESK//"]);
        let empty = Cleaner::from_jsonl("", "r.jsonl").unwrap();
        assert!(empty.find(text).is_empty());
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

    /// Every text a branch matches holds a literal of each of its
    /// requirement sets, in ASCII lower case, whatever its case variants
    /// (the Kelvin sign is a `k`, the long s an `s` under `(?i)`); the
    /// newsletter branch needs both of its word lists; branches without
    /// literals of three bytes have no sets.
    #[test]
    fn requirement_sets_are_in_every_match() {
        let table: &[(&str, usize, &[&str])] = &[
            (r"(?i)abc|def", 1, &["ABC", "dEf"]),
            (
                r"(?i).{0,20}\bcookies?\b.{0,20}",
                1,
                &["we use COOKIES here", "coo\u{212A}ie", "Ｘ cookie"],
            ),
            (
                r"(?i).{0,80}\b(?:subscribe|sign up|join)\b.{0,30}\b(?:newsletter|inbox)\b.{0,150}",
                2,
                &["Subſcribe to our NEWSLETTER", "é join the newsletter 🎉", "Sign up: inbox"],
            ),
            (r"(?:The )?(?:\p{Lu}\w* ){1,3}(?:Desk|Wire)", 1, &["The Foreign Desk", "Москва Wire"]),
            (r"(?i)(?:posted|updated)(?: on)?:? .{0,80}", 1, &["Posted on 3 May", "UPDATED: é"]),
            (r"x\d{4}xyz", 1, &["x1234xyz", "x١٢٣٤xyz"]),
            (r"(?-u:[A-Z]x)yzw", 1, &["Axyzw", "Zxyzw"]),
        ];
        for &(pat, want, texts) in table {
            let hir = regex_syntax::Parser::new().parse(pat).unwrap();
            let re = Regex::new(&format!("^(?:{pat})$")).unwrap();
            let branches = crate::regexes::top_branches(&hir);
            for t in texts {
                assert!(re.is_match(t), "{pat} matches {t:?}");
            }
            for b in branches {
                let sets = requirement_sets(b);
                assert_eq!(sets.len(), want, "{pat}: {sets:?}");
                let branch = Regex::new(&format!("^(?:{b})$")).unwrap();
                for t in texts.iter().filter(|t| branch.is_match(t)) {
                    let folded = t.as_bytes().to_ascii_lowercase();
                    for lits in &sets {
                        assert!(lits.iter().all(|l| l.len() >= 3), "{pat}");
                        let holds =
                            lits.iter().any(|l| folded.windows(l.len()).any(|w| w == l.as_slice()));
                        assert!(holds, "{pat}: {t:?} holds none of {lits:?}");
                    }
                }
            }
        }
        for pat in [r".*", r"(?i).{0,5}", r"ab", r"\d+", r"(?:©|\(c\))", r""] {
            let hir = regex_syntax::Parser::new().parse(pat).unwrap();
            assert!(requirement_sets(&hir).is_empty(), "{pat}");
        }
    }

    /// A text that matches a pattern matches its folded pattern in ASCII
    /// lower case, letters outside ASCII and far from the start included.
    #[test]
    fn folded_patterns_match_lowered_texts() {
        let far = "x".repeat(300);
        let table: &[(&str, &str)] = &[
            (r"[A-Z]+ Desk", "KYIV Desk"),
            (r"(?i)cookie", "COO\u{212A}IE"),
            (r"(?i)Subscribe", "SUBſCRIBE"),
            (r"[A-Za-zé€]+", "CAFé€"),
            (r"\p{Lu}\p{Ll}+ Wire", "Москва Wire"),
            (r"(?-u:[@-\[])x", "[x"),
            (r"(?-u:[@-\[])x", "Qx"),
            (r"\bBy [A-Z]\w+", "By Zoé"),
            (r".{300}(?i:EMOJI) 😀", &format!("{far}Emoji 😀")),
            (r"مرحبا ABC", "مرحبا ABC"),
        ];
        for &(pat, text) in table {
            let re = Regex::new(&format!("^(?:{pat})$")).unwrap();
            assert!(re.is_match(text), "{pat} matches {text:?}");
            let hir = regex_syntax::Parser::new().parse(pat).unwrap();
            let folded = Regex::new(&format!("^(?:{})$", ascii_folded(&hir))).unwrap();
            assert!(folded.is_match(&text.to_ascii_lowercase()), "{pat} folded, {text:?} lowered");
        }
    }

    /// The ASCII-boundary regex answers as the rule's own on lines whose
    /// non-ASCII characters are not word characters, and is not asked on
    /// the others: letters outside ASCII next to the words decide.
    #[test]
    fn ascii_boundaries_agree_where_they_are_asked() {
        let pats = [
            r"(?i).{0,80}\b(?:subscribe|sign up|join)\b.{0,30}\b(?:newsletter|inbox)\b.{0,150}",
            r"(?i)\bcookies?\b.{0,40}\baccept\b",
        ];
        let lines = [
            "Join our newsletter",
            "Join our newsletter — today “free”",
            "éJoin our newsletter",
            "Joiné our newsletter",
            "Join our newsletterй",
            "join our newsletter 😀",
            "Rejoin our newsletters",
            "Cookies: accept",
            "Cookiesé: accept",
            "Cookies: acceptﻻ",
            "Москва cookies, accept",
            "€cookies€accept€",
        ];
        for pat in pats {
            let r = LineRegex::new(&regex_syntax::Parser::new().parse(pat).unwrap());
            assert!(r.ascii.is_some(), "{pat} has Unicode boundaries");
            let exact = Regex::new(&format!("^(?:{pat})$")).unwrap();
            for line in lines {
                let words = has_non_ascii_word(line);
                assert_eq!(r.is_match(line, || words), exact.is_match(line), "{pat} on {line:?}");
            }
        }
        assert!(!has_non_ascii_word("— “free” 😀 €"));
        assert!(
            has_non_ascii_word("Москва") && has_non_ascii_word("café") && has_non_ascii_word("ﻻ")
        );
        let not_b = LineRegex::new(&regex_syntax::Parser::new().parse(r"\Bx").unwrap());
        assert!(not_b.ascii.is_none(), "no ASCII \\B in a str regex");
    }

    /// Open counted repetitions answer as the pattern does on every line
    /// no longer than the bound, and the line regex, which asks them only
    /// there, answers as the pattern on every line; past the bound they
    /// may differ (which is why it is kept).
    #[test]
    fn open_repetitions_agree_up_to_the_bound() {
        let pats = [
            (r"(?i).{0,20}\bcookies?\b.{0,24}\baccept\b", 20),
            (r"[a-zé]{2,18}x?", 18),
            (r"a.{0,16}b", 16),
            (r"(?:ab.{0,30})+z", 30),
            // Lazy, nested in a count, beside a `\B` (which keeps only
            // the gate).
            (r"x.{2,20}?y", 20),
            (r"(?:a.{0,20}){2}b", 20),
            (r"é\B.{0,25}\bz", 25),
        ];
        let texts = [
            "cookies accept",
            "Our cookies: you accept them",
            "éé cookies ж accept",
            "aé€😀xxxxxxxxxxxxxxxxxxxxxxxxxxb",
            "axxxxxxxxxxxxxxxxb",
            "abxxxabyyyyz",
            "Москва cookies accept 😀",
            "ﻻ cookies  accept",
            "abcdefghijklmnopqrsx",
            "x ab y",
            "xaaaaaaaaaaaaaaaaaaaaaaaaaay",
            "a123a456b",
            "aa b",
            "café z",
            "cafézz z",
            "é z",
        ];
        let mut lines: Vec<String> = Vec::new();
        for t in texts {
            for (i, _) in t.char_indices() {
                lines.push(t[i..].to_string());
                lines.push(t[..i].to_string());
            }
            lines.push(t.to_string());
            lines.push(format!("{t} {t}"));
        }
        for (pat, want_bound) in pats {
            let hir = regex_syntax::Parser::new().parse(&format!("^(?:{pat})$")).unwrap();
            let (bound, open) = open_repetitions(&hir).expect("a long repetition");
            assert_eq!(bound, want_bound, "{pat}");
            let open = TreeRegex::new(open);
            let open = open.get().unwrap();
            let exact = Regex::new(&format!("^(?:{pat})$")).unwrap();
            let line_regex = LineRegex::new(&regex_syntax::Parser::new().parse(pat).unwrap());
            assert!(line_regex.short.is_some(), "{pat}");
            let matched = lines.iter().filter(|l| l.len() <= bound && exact.is_match(l)).count();
            assert!(matched > 0, "{pat} matches some line within the bound");
            for line in &lines {
                if line.len() <= bound {
                    assert_eq!(
                        open.is_match(line.as_str()),
                        exact.is_match(line),
                        "{pat} {line:?}"
                    );
                }
                let words = has_non_ascii_word(line);
                assert_eq!(
                    line_regex.is_match(line, || words),
                    exact.is_match(line),
                    "{pat} {line:?}"
                );
            }
        }
        // Past the bound the open tree would be wrong.
        let hir = regex_syntax::Parser::new().parse(r"^(?:a.{16}b)$").unwrap();
        let open = TreeRegex::new(open_repetitions(&hir).unwrap().1);
        let long = format!("a{}b", "x".repeat(17));
        assert!(open.get().unwrap().is_match(long.as_str()));
        assert!(!Regex::new(r"^(?:a.{16}b)$").unwrap().is_match(&long));
        // Short counts are kept: no bound below most lines' lengths.
        let few = regex_syntax::Parser::new().parse(r"^(?:\d{1,4} [a-z]{0,15})$").unwrap();
        assert!(open_repetitions(&few).is_none());
    }

    /// Branches whose syntax tree would not print back as itself (a
    /// repetition of a repetition: `(?:x+)?` prints as the lazy `x+?`)
    /// match as the rule file says.
    #[test]
    fn branch_regexes_keep_nested_repetitions() {
        let rules = concat!(
            r#"{"id": "a.one", "label": "NAV", "scope": "line", "pattern": "x(?: +)?y|z(?:ab{2,3})?c|(?i)\\bq(?:\\b)?r"}"#,
            "\n",
        );
        let c = Cleaner::from_jsonl(rules, "r.jsonl").unwrap();
        c.compile_all().unwrap();
        for (line, want) in [
            ("xy", true),
            ("x  y", true),
            ("zc", true),
            ("zabbc", true),
            ("zabc", false),
            ("q", false),
            ("QR", true),
            ("éQR", false),
        ] {
            assert_eq!(c.rule_for_line(line).is_some(), want, "{line:?}");
        }
    }
}
