//! Entity pattern rules (`rules/entity-patterns.tsv`): names no list holds,
//! found by the words around them: a title before a person's name, a head
//! word after an organisation's or a place's name, and "Ministry of …".
//!
//! Each rule compiles to one regex with a named group `name` (the span).
//! The rules carry examples (text → expected span) that the tests run.

use crate::error::{Error, Result};
use crate::recognize::automaton::Overlapping;
use crate::recognize::rows::Rows;
use crate::regexes::{LazyRegex, TrailingBoundary};
use crate::segment;
use crate::span::{Annotation, Attrs, Layer, Span};
use std::sync::Arc;

/// The bundled rules.
pub const BUNDLED_RULES: &str = include_str!("../../rules/entity-patterns.tsv");

/// A capitalized name word: "Nasser", "al-Sabah"-style parts come through
/// the particles below, "MacArthur", "People’s", initials "A.".
const WORD: &str = r"(?:\p{Lu}\.|\p{Lu}[\p{Ll}\p{Lu}\-]*(?:[’'][\p{Ll}]+)?)";
const PARTICLE: &str =
    r"(?:al|el|bin|ibn|bint|de|da|del|dos|das|van|von|der|den|di|du|la|le|y|Abdel|Abdul|Abu|ben)";

/// Words that end a title rule's name: a title followed by one of these is
/// an organisation or an office ("General Assembly", "President's Council").
pub(crate) const NOT_NAMES: &[&str] = &[
    "Assembly",
    "Secretary",
    "Staff",
    "Council",
    "Command",
    "Headquarters",
    "Court",
    "Election",
    "Elections",
    "Strike",
    "Motors",
    "Electric",
    "Secretariat",
    "Agreement",
    "Conference",
    "Office",
    "Prosecutor",
    "Counsel",
    "Manager",
    "Framework",
    "Debate",
    "Administration",
    "Accords",
    "Treaty",
    "War",
    "Army",
    "Navy",
    "Forces",
    "Party",
    "Government",
    "Ministry",
    "Minister",
    "Palace",
    "House",
    "Guard",
    "Committee",
    "Directorate",
    "Intelligence",
    "Security",
    "Staffs",
    "Of",
    "The",
    "And",
    "In",
    "On",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Head,
    HeadOf,
}

/// One compiled pattern rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// Entity label.
    pub label: &'static str,
    kind: Kind,
    re: TrailingBoundary,
    /// A title rule's pattern up to the first character of its name (and
    /// a particle before it): where its match ends is where the name of
    /// the rule's match starts, found without a capturing search (see
    /// `name_start`).
    name_start: Option<LazyRegex>,
    /// `pattern:{id}`, the source of the rule's annotations.
    source: Arc<str>,
    /// A keyword found in lowercase at the start of a word can be in no
    /// match: a head rule whose words are all capitalized (and none is
    /// "of" or "the"), whose names are capitalized words. Such hits are
    /// skipped ("the army", "in office").
    capitalized_only: bool,
    /// (text, expected span or "-") pairs.
    pub examples: Vec<(String, String)>,
}

/// The compiled pattern rules.
#[derive(Debug, Clone)]
pub struct Patterns {
    rules: Vec<Rule>,
    /// Every rule's keywords in one automaton (pattern id → rule): one
    /// pass over a sentence finds every rule's keywords, and a rule's
    /// regex runs only around them. A DFA, searched by
    /// [`Overlapping`](crate::recognize::automaton::Overlapping), or in
    /// its compact rows when they fit (the bundled keywords do).
    any_keyword: std::sync::Arc<aho_corasick::dfa::DFA>,
    keyword_rows: Option<std::sync::Arc<Rows>>,
    keyword_rule: Vec<usize>,
}

fn alternation(words: &str) -> String {
    let mut w: Vec<&str> = words.split('|').map(str::trim).filter(|w| !w.is_empty()).collect();
    // Longer alternatives first, so "Prime Minister" wins over "Minister".
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.iter().map(|s| regex::escape(s).replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
}

impl Patterns {
    /// Compiles rules from the TSV format above.
    ///
    /// # Errors
    /// Short lines, unknown labels or kinds, and malformed examples name
    /// the file and line.
    pub fn from_tsv(src: &str, origin: &str) -> Result<Patterns> {
        let name = format!(r"{WORD}(?:\s+(?:{PARTICLE}[-\s])*{WORD})*(?:,?\s+(?:Jr|Sr)\.?)?");
        let name_token = format!(r"(?:{PARTICLE}-)?{WORD}");
        let name = name.replace(WORD, &name_token);
        let mut rules = Vec::new();
        // Every rule's keywords, and the rule of each, for `any_keyword`.
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rule = Vec::new();
        for (i, line) in src.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |m: String| Error::msg(m).with_path(origin).with_line(i + 1);
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 {
                return Err(at(format!(
                    "expected id, label, kind, words[, examples]; found {} columns",
                    cols.len()
                )));
            }
            let label = Layer::Entity
                .label(cols[1])
                .ok_or_else(|| at(format!("unknown entity label {:?}", cols[1])))?;
            let words = alternation(cols[3]);
            let title_head = format!(r"^(?:^|[^\p{{L}}])(?i:{words})\s+");
            let (kind, pattern) = match cols[2] {
                // Anchored: `find` searches from just before a title word,
                // and only a match starting there can hold the word (the
                // title starts with a letter, so `[^\p{L}]` cannot match at
                // it); an unanchored search would scan on for other titles.
                "title" => (Kind::Title, format!(r"{title_head}(?P<name>{name})")),
                "head" => (
                    Kind::Head,
                    format!(
                        r"(?P<name>(?:{WORD}\s+){{1,4}}(?:{words})(?:\s+of\s+(?:the\s+)?{WORD}(?:\s+{WORD}){{0,3}})?)\b"
                    ),
                ),
                "head-of" => (
                    Kind::HeadOf,
                    format!(
                        r"(?P<name>(?:{WORD}\s+){{0,2}}(?:{words})\s+of\s+(?:the\s+)?{WORD}(?:\s+{WORD}){{0,3}})\b"
                    ),
                ),
                k => return Err(at(format!("unknown kind {k:?} (title, head, head-of)"))),
            };
            // Unicode letter classes make a large lazy DFA; give it room so it
            // does not fall back to a slower engine.
            let re = TrailingBoundary::new(&pattern, |p| {
                regex::RegexBuilder::new(p).dfa_size_limit(32 << 20).build()
            })
            .map_err(|e| at(format!("rule {}: {e}", cols[0])))?;
            // A name matches wherever its first word does, and that word
            // wherever a capital (after a particle) is: the rule's preferred
            // way through the title words is the first after which this
            // matches, so this pattern takes the same way.
            let name_start = (kind == Kind::Title)
                .then(|| {
                    LazyRegex::new(&format!(r"{title_head}(?:{PARTICLE}-)?\p{{Lu}}"), |p| {
                        regex::RegexBuilder::new(p).dfa_size_limit(32 << 20).build()
                    })
                })
                .transpose()
                .map_err(|e| at(format!("rule {}: {e}", cols[0])))?;
            let mut examples = Vec::new();
            for ex in cols.get(4).map_or("", |c| c.trim()).split(" || ").filter(|e| !e.is_empty()) {
                let (t, s) = ex
                    .split_once(" => ")
                    .ok_or_else(|| at(format!("example {ex:?} is not 'text => span'")))?;
                examples.push((t.to_string(), s.to_string()));
            }
            let kws: Vec<String> = cols[3]
                .split('|')
                .map(|w| w.trim().split(' ').next().unwrap_or("").to_string())
                .filter(|w| !w.is_empty())
                .collect();
            let capitalized_only = kind != Kind::Title
                && cols[3]
                    .split('|')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .all(|w| w.split(' ').all(|t| t.starts_with(|c: char| c.is_uppercase())))
                && !kws
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case("of") || k.eq_ignore_ascii_case("the"));
            keyword_rule.extend(std::iter::repeat_n(rules.len(), kws.len()));
            keywords.extend(kws);
            rules.push(Rule {
                id: cols[0].to_string(),
                label,
                kind,
                re,
                name_start,
                source: format!("pattern:{}", cols[0]).into(),
                capitalized_only,
                examples,
            });
        }
        let any_keyword = aho_corasick::dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&keywords)
            .map_err(|e| Error::msg(format!("entity pattern keywords: {e}")).with_path(origin))?;
        let keyword_rows = Rows::new(&any_keyword).map(std::sync::Arc::new);
        Ok(Patterns {
            rules,
            any_keyword: std::sync::Arc::new(any_keyword),
            keyword_rows,
            keyword_rule,
        })
    }

    /// The bundled rules.
    pub fn bundled() -> Patterns {
        Patterns::from_tsv(BUNDLED_RULES, "rules/entity-patterns.tsv")
            .expect("bundled entity patterns compile (checked by tests)")
    }

    /// Compiles every rule's own regex now.
    ///
    /// # Errors
    /// The first regex that does not compile.
    pub fn compile_all(&self) -> std::result::Result<(), regex::Error> {
        self.rules.iter().try_for_each(|r| {
            r.re.exact.compile()?;
            r.name_start.as_ref().map_or(Ok(()), LazyRegex::compile)
        })
    }

    /// The rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Each rule's keyword hits in `s`, as a non-overlapping search with an
    /// automaton of that rule's keywords alone would give them, from one
    /// overlapping pass of all keywords: hits come in order of their end
    /// (the longest first at one end), and the non-overlapping search
    /// takes the first that starts where the previous one ended or later.
    /// They go to `scratch.hits` as (rule, start, end), each rule's in
    /// order.
    fn keyword_hits(&self, s: &str, scratch: &mut Scratch) {
        scratch.hits.clear();
        scratch.last_end.clear();
        scratch.last_end.resize(self.rules.len(), 0);
        let mut hit = |(start, end, pid): (usize, usize, usize)| {
            let r = self.keyword_rule[pid];
            if start >= scratch.last_end[r] {
                scratch.hits.push((r, start, end));
                scratch.last_end[r] = end;
            }
        };
        match &self.keyword_rows {
            Some(rows) => rows.overlapping(s.as_bytes()).for_each(&mut hit),
            None => Overlapping::new(&self.any_keyword, s.as_bytes()).for_each(&mut hit),
        }
    }

    /// Candidates in `span` of `text`. `title_case` sentences (headings)
    /// only get the title rule: their capitals say nothing about names.
    pub fn find(&self, text: &str, span: Span, title_case: bool) -> Vec<Annotation> {
        let mut out = Vec::new();
        self.find_into(text, span, title_case, &mut Scratch::default(), &mut out);
        out
    }

    /// [`Patterns::find`], adding to `out`, with buffers kept in
    /// `scratch` from one call to the next.
    pub fn find_into(
        &self,
        text: &str,
        span: Span,
        title_case: bool,
        scratch: &mut Scratch,
        out: &mut Vec<Annotation>,
    ) {
        let s = span.of(text);
        self.keyword_hits(s, scratch);
        if scratch.hits.is_empty() {
            return;
        }
        let Scratch { hits, wholes, .. } = scratch;
        for (r, rule) in self.rules.iter().enumerate() {
            if title_case && rule.kind != Kind::Title {
                continue;
            }
            // Search only around the rule's keywords (a title, a head word):
            // most sentences hold none, and the capturing regex is slow.
            wholes.clear();
            for &(_, p, k_end) in hits.iter().filter(|h| h.0 == r) {
                if rule.capitalized_only
                    && s.as_bytes()[p].is_ascii_lowercase()
                    && !s[..p]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
                {
                    continue;
                }
                let mut lo = if rule.kind == Kind::Title {
                    p.saturating_sub(1)
                } else {
                    p.saturating_sub(160)
                };
                while !s.is_char_boundary(lo) {
                    lo -= 1;
                }
                let mut hi = (k_end + 200).min(s.len());
                while !s.is_char_boundary(hi) {
                    hi += 1;
                }
                // A window that reaches the end of the sentence has the
                // context of the search from a match's start below (the
                // patterns look behind nothing at their start), so its
                // match is that search's.
                let complete = hi == s.len();
                rule.matches_holding(&s[lo..hi], p - lo, |a, b| {
                    wholes.push((lo + a, lo + b, complete));
                });
            }
            wholes.sort_unstable();
            wholes.dedup_by(|later, kept| {
                (later.0, later.1) == (kept.0, kept.1) && {
                    kept.2 |= later.2;
                    true
                }
            });
            for &(w_start, w_end, complete) in wholes.iter() {
                let whole =
                    if complete { Some((0, w_end - w_start)) } else { rule.re.find(&s[w_start..]) };
                let Some((w_a, w_b)) = whole else { continue };
                // Only a title rule's name is a part of its match (its end,
                // after the title); the others' is all of it.
                let m = if rule.kind == Kind::Title {
                    match rule.name_start(&s[w_start..w_start + w_b]) {
                        Some(n) => (w_start + n, w_start + w_b),
                        None => {
                            let Some(c) = rule.re.captures(&s[w_start..]) else { continue };
                            let Some(m) = c.name("name") else { continue };
                            (w_start + m.start(), w_start + m.end())
                        }
                    }
                } else {
                    (w_start + w_a, w_start + w_b)
                };
                let (a, b) = trim_name(s, m.0, m.1, rule.kind);
                if a >= b {
                    continue;
                }
                let name = &s[a..b];
                if rule.kind == Kind::Title
                    && name.split_whitespace().any(|w| NOT_NAMES.contains(&w))
                {
                    continue;
                }
                // "The Military Armistice Commission": a leading function
                // word is not part of the name.
                let (a, name) = if rule.kind != Kind::Title && starts_with_function_word(name) {
                    match name.split_once(' ') {
                        Some((w, rest))
                            if rest.starts_with(|c: char| c.is_uppercase())
                                && rest.contains(' ') =>
                        {
                            (a + w.len() + 1, rest)
                        }
                        _ => continue,
                    }
                } else {
                    (a, name)
                };
                out.push(Annotation {
                    span: Span::new(span.start + a, span.start + b),
                    layer: Layer::Entity,
                    label: rule.label,
                    source: rule.source.clone(),
                    attrs: Attrs::Entity { kb_id: None, canonical: Some(name.into()) },
                });
            }
        }
    }
}

/// Buffers of [`Patterns::find_into`], kept from one sentence to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Keyword hits: (rule, start, end).
    hits: Vec<(usize, usize, usize)>,
    /// The end of each rule's last hit.
    last_end: Vec<usize>,
    /// One rule's matches around its hits: (start, end, whether the
    /// window reached the end of the sentence).
    wholes: Vec<(usize, usize, bool)>,
}

impl Rule {
    /// The matches of the rule's regex in `hay` (its successive
    /// non-overlapping ones) that hold the byte `p`, given to `found`.
    /// The search stops at the first match that starts after `p` (no
    /// later one holds it): each starts where the last match ended, as
    /// an iterator's would (no match is empty, and none looks behind its
    /// start). A title rule's is anchored: one match at most.
    fn matches_holding(&self, hay: &str, p: usize, mut found: impl FnMut(usize, usize)) {
        let mut at = 0;
        while let Some((a, b)) = self.re.find(&hay[at..]) {
            let (a, b) = (at + a, at + b);
            if a > p {
                break;
            }
            if p < b {
                found(a, b);
            }
            if self.kind == Kind::Title || b == at {
                break;
            }
            at = b;
        }
    }

    /// Where the name starts in `hay`, the whole of a title rule's match:
    /// `name_start` matches up to the name's first capital, after a
    /// particle ("al-") if the name starts with one; the name starts after
    /// the particle's letters and hyphen. `None` for other rules.
    fn name_start(&self, hay: &str) -> Option<usize> {
        let end = self.name_start.as_ref()?.get().find(hay)?.end();
        let capital = hay[..end].chars().next_back()?;
        let before = &hay[..end - capital.len_utf8()];
        Some(match before.strip_suffix('-') {
            Some(b) => b.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len(),
            None => before.len(),
        })
    }
}

/// Drops a trailing possessive ("MacArthur’s") and trailing periods that
/// end the sentence rather than an initial.
fn trim_name(s: &str, mut a: usize, mut b: usize, kind: Kind) -> (usize, usize) {
    // "Maryland’s Catoctin Mountains": a possessive that is not right before
    // the head word belongs to another name.
    if kind != Kind::Title {
        let words: Vec<(usize, &str)> = s[a..b]
            .split(' ')
            .scan(a, |pos, w| {
                let here = *pos;
                *pos += w.len() + 1;
                Some((here, w))
            })
            .collect();
        if let Some(k) = words.iter().rposition(|(_, w)| w.ends_with("’s") || w.ends_with("'s")) {
            if k + 2 < words.len() {
                a = words[k + 1].0;
            }
        }
    }
    for suffix in ["’s", "'s", "’", "'"] {
        if s[a..b].ends_with(suffix) && (kind == Kind::Title || suffix.len() > 1) {
            b -= suffix.len();
        }
    }
    if (s[a..b].ends_with(" Jr") || s[a..b].ends_with(" Sr")) && s[b..].starts_with('.') {
        b += 1;
    }
    let name = &s[a..b];
    if name.ends_with('.') {
        let last = name.trim_end_matches('.').rsplit(' ').next().unwrap_or("");
        if last.chars().count() > 1 && last != "Jr" && last != "Sr" {
            b -= 1;
        }
    }
    (a, b)
}

fn starts_with_function_word(name: &str) -> bool {
    name.split_whitespace().next().is_some_and(|w| segment::FUNCTION_WORDS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `texts` and every rule's examples.
    fn with_examples(p: &Patterns, texts: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        for rule in p.rules() {
            out.extend(rule.examples.iter().map(|(t, _)| t.clone()));
        }
        out
    }

    #[test]
    fn every_rule_example_holds() {
        let p = Patterns::bundled();
        let mut failures = Vec::new();
        for rule in p.rules() {
            for (text, want) in &rule.examples {
                let got: Vec<String> = p
                    .find(text, Span::new(0, text.len()), false)
                    .into_iter()
                    .filter(|a| *a.source == format!("pattern:{}", rule.id))
                    .map(|a| a.span.of(text).to_string())
                    .collect();
                let ok = if want == "-" { got.is_empty() } else { got.iter().any(|g| g == want) };
                if !ok {
                    failures.push(format!("{}: {text:?} → {got:?}, want {want:?}", rule.id));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The one overlapping pass gives each rule the hits its own
    /// keywords' non-overlapping search would: overlapping keywords of one
    /// rule ("Prime", "Prime Minister"), of several, touching and glued
    /// words, any case, non-ASCII around them.
    #[test]
    fn keyword_hits_match_each_rules_own_search() {
        let p = Patterns::bundled();
        let per_rule: Vec<aho_corasick::AhoCorasick> = BUNDLED_RULES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let words = l.split('\t').nth(3).unwrap();
                let kws: Vec<&str> =
                    words.split('|').filter_map(|w| w.split_whitespace().next()).collect();
                aho_corasick::AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(kws)
                    .unwrap()
            })
            .collect();
        assert_eq!(per_rule.len(), p.rules().len());
        let texts = [
            "Prime Minister Menachem Begin met President Sadat in the town of Ismailia.",
            "the Air Force of the Soviet Union; the armyArmy ARMY and Ministry of Defence",
            "Général President-elect Лев Mr.Mrs.Ms. Dr. Gen.Maj. Gen. التقى King Kingdom",
            "sometimes postponed reunion confronted the Secretary-General of the UN 😀",
            "",
            "Army",
            " Army",
            "  Army",
            "   Army",
            "Army Army Navy",
        ];
        let mut scratch = Scratch::default();
        for text in texts {
            p.keyword_hits(text, &mut scratch);
            for (i, ac) in per_rule.iter().enumerate() {
                let want: Vec<(usize, usize)> =
                    ac.find_iter(text).map(|m| (m.start(), m.end())).collect();
                let got: Vec<(usize, usize)> =
                    scratch.hits.iter().filter(|h| h.0 == i).map(|h| (h.1, h.2)).collect();
                assert_eq!(got, want, "rule {} in {text:?}", p.rules()[i].id);
            }
        }
    }

    /// A head rule's name is its whole match, so `find` takes the match
    /// without the capturing search.
    #[test]
    fn head_rule_names_are_whole_matches() {
        let p = Patterns::bundled();
        for rule in p.rules().iter().filter(|r| r.kind != Kind::Title) {
            let mut checked = 0;
            for (text, _) in &rule.examples {
                for c in rule.re.exact.get().captures_iter(text) {
                    let (all, name) = (c.get(0).unwrap(), c.name("name").unwrap());
                    assert_eq!(all.range(), name.range(), "{}: {text:?}", rule.id);
                    checked += 1;
                }
            }
            assert!(checked > 0, "{}: no example matches", rule.id);
        }
    }

    /// A title rule's name starts where its `name_start` pattern says,
    /// as the capturing search of the rule's regex gives it: titles that
    /// are prefixes of others ("General", "General Secretary"), titles
    /// then lowercase words, particles, several spaces, non-ASCII around.
    #[test]
    fn name_start_is_the_name_group_start() {
        let p = Patterns::bundled();
        let texts = with_examples(
            &p,
            &[
                "General Secretary Leonid Brezhnev",
                "General Secretary of the party",
                " Secretary of State Cyrus Vance",
                "(Secretary of State Vance",
                "President al-Assad and President  el-Sisi",
                "President al-assad, President Abu-Mazen",
                "Prime Minister Menachem Begin",
                "Prime Minister minister Begin",
                "“Prime\u{a0}Minister\tÉdouard Balladur",
                "Mr. Łukasz Nowak; Mrs. Ötzi; Dr. Ахмед",
                "President Лев Толстой 😀 King Абдалла",
                "the town of Ismailia, the city of São Paulo",
                "the Scottish town of Lockerbie; the port city Aden",
                "KING Hussein; kIng Fahd; ſultan X",
                "Lt. Gen. A. B. Smith Jr.",
                "President",
                "President ",
                "President É",
            ],
        );
        let mut checked = 0;
        for rule in p.rules().iter().filter(|r| r.kind == Kind::Title) {
            for text in &texts {
                for (i, _) in text.char_indices() {
                    let hay = &text[i..];
                    let want = rule.re.exact.get().captures(hay).map(|c| {
                        let name = c.name("name").unwrap();
                        (name.start(), c.get(0).unwrap().end())
                    });
                    let got = rule.re.find(hay).map(|(_, end)| {
                        (rule.name_start(&hay[..end]).expect("name_start matches"), end)
                    });
                    assert_eq!(got, want, "{}: {hay:?}", rule.id);
                    checked += usize::from(want.is_some());
                }
            }
        }
        assert!(checked > 50, "{checked}");
    }

    /// The bundled keywords fit in compact rows, and the hits from them
    /// are the hits from the library's DFA.
    #[test]
    fn bundled_keywords_use_rows() {
        let p = Patterns::bundled();
        let rows = p.keyword_rows.as_ref().expect("the bundled keywords fit in rows");
        let texts = with_examples(&p, &["the Red Army and Prime Minister Begin of the Bank"]);
        for t in &texts {
            let want: Vec<_> = Overlapping::new(&p.any_keyword, t.as_bytes()).collect();
            assert_eq!(rows.overlapping(t.as_bytes()).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    /// `matches_holding` gives the matches of the rule's own iterator that
    /// hold the byte, for every byte of the examples and of texts with
    /// several names, titles and heads in a row.
    #[test]
    fn matches_holding_are_the_iterators() {
        let p = Patterns::bundled();
        let texts = with_examples(
            &p,
            &[
                "the Soviet Union and the Warsaw Pact Council met the Red Army Command",
                "President Sadat, President Carter and Prime Minister Begin",
                "Bank of England Council of Europe Party of God; Ministry of the Interior",
                "the Red Sea, the Persian Gulf and the Strait of Hormuz; Mount Ararat",
                "Défense Ministry Société Générale Bank Ж Union 😀 Army",
                "",
            ],
        );
        let mut nonempty = 0;
        for rule in p.rules() {
            for text in &texts {
                let all = rule.re.find_iter(text);
                for (i, _) in text.char_indices() {
                    let want: Vec<(usize, usize)> =
                        all.iter().copied().filter(|&(a, b)| a <= i && i < b).collect();
                    let mut got = Vec::new();
                    rule.matches_holding(text, i, |a, b| got.push((a, b)));
                    assert_eq!(got, want, "{}: {text:?} at {i}", rule.id);
                    nonempty += usize::from(!want.is_empty());
                }
            }
        }
        assert!(nonempty > 100, "the rules match the texts ({nonempty} positions)");
    }

    #[test]
    fn malformed_rules_name_file_and_line() {
        let e = Patterns::from_tsv("x\tPERSON\ttitle\n", "p.tsv").unwrap_err();
        assert!(e.to_string().starts_with("p.tsv:1:"), "{e}");
        let e = Patterns::from_tsv("x\tPERSON\tsuffix\tMr\n", "p.tsv").unwrap_err();
        assert!(e.to_string().contains("unknown kind"), "{e}");
    }
}
