//! Entity layer: gazetteer candidates and pattern candidates inside
//! content sentences, filtered by context, resolved longest-first, then
//! later bare surnames of the people found.

use super::gazetteer::{Ambiguity, Candidate, Gazetteer};
use super::patterns::Patterns;
use crate::segment::{self, Sentence};
use crate::span::{Annotation, Attrs, Layer, Span};
use std::sync::Arc;

/// Places smaller than this need a locative cue ("in Sale", "near March").
pub const MIN_BARE_POPULATION: u64 = 100_000;

/// Words before a name that make it a place.
const LOCATIVE_CUES: &[&str] = &[
    "in", "at", "from", "to", "near", "into", "outside", "towards", "toward", "via", "of",
    "across", "around", "through", "between", "and",
];

/// Words before a name that make it a vessel, not a place ("HMS Sheffield").
const VESSEL_PREFIXES: &[&str] = &[
    "HMS",
    "USS",
    "HMAS",
    "HMCS",
    "INS",
    "RFS",
    "ARA",
    "MV",
    "SS",
    "carrier",
    "cruiser",
    "destroyer",
    "frigate",
    "submarine",
    "ship",
    "vessel",
    "battleship",
];

/// The entity recognizer: bundled and users' gazetteers plus pattern rules.
#[derive(Debug, Clone)]
pub struct EntityRecognizer {
    /// Shared by every clone: the gazetteer only reads (its tables need
    /// no scratch space), and it is the largest structure in memory.
    gazetteer: std::sync::Arc<Gazetteer>,
    patterns: Patterns,
    /// First names of the people in the gazetteers: a first name before a
    /// capitalized word starts a person's name ("Alexander Dubček").
    first_names: Arc<super::gazetteer::FnvSet<String>>,
    /// The sources of the first-name and surname rules' annotations.
    first_name_source: Arc<str>,
    surname_source: Arc<str>,
}

/// Words that start many gazetteer person names but are not first names.
const NOT_FIRST_NAMES: &[&str] = &[
    "Al",
    "El",
    "Abu",
    "Bin",
    "Ibn",
    "De",
    "Van",
    "Von",
    "Le",
    "La",
    "Del",
    "Da",
    "Di",
    "Sheikh",
    "Shaikh",
    "King",
    "Queen",
    "Prince",
    "Emir",
    "General",
    "President",
    "Sir",
    "Lord",
    "Saint",
    "San",
    "Santa",
    "St",
    "Mount",
    "Lake",
    "New",
    "North",
    "South",
    "East",
    "West",
    "The",
    "Mr",
    "Mrs",
    "Dr",
    "Haji",
    "Mullah",
    "Imam",
    "Ayatollah",
    "Grand",
    "Great",
    "Old",
    "Young",
];

/// A candidate before overlap resolution. Gazetteer candidates become
/// annotations only if they win.
struct Cand {
    span: Span,
    /// Lower wins when two candidates have the same span.
    priority: u8,
    found: Found,
}

enum Found {
    Gazetteer(Candidate),
    /// An index into the pattern annotations: candidates stay small, and
    /// sorting them moves no annotation.
    Pattern(usize),
}

impl Cand {
    fn source<'a>(
        &'a self,
        gazetteer: &'a Gazetteer,
        patterns: &'a [Option<Annotation>],
    ) -> &'a str {
        match &self.found {
            Found::Gazetteer(c) => gazetteer.source(c),
            Found::Pattern(i) => &patterns[*i].as_ref().expect("taken only in resolve").source,
        }
    }
}

impl EntityRecognizer {
    /// Compiles the pattern rules' regexes now.
    ///
    /// # Errors
    /// The first regex that does not compile.
    pub fn compile_all(&self) -> std::result::Result<(), regex::Error> {
        self.patterns.compile_all()
    }

    /// Combines a compiled gazetteer and pattern rules.
    pub fn new(gazetteer: Gazetteer, patterns: Patterns) -> EntityRecognizer {
        let mut first_names = super::gazetteer::FnvSet::default();
        for e in gazetteer.entries().iter().filter(|e| e.label == "PERSON") {
            let mut words = e.surface.split(' ');
            let (Some(first), Some(_)) = (words.next(), words.next()) else { continue };
            if first.chars().count() >= 3
                && first.chars().next().is_some_and(char::is_uppercase)
                && first.chars().skip(1).all(char::is_lowercase)
                && !NOT_FIRST_NAMES.contains(&first)
            {
                first_names.insert(first.to_string());
            }
        }
        // A first name that is also a place or a group is not a cue.
        for e in gazetteer.entries().iter().filter(|e| e.label != "PERSON") {
            first_names.remove(e.surface.as_str());
        }
        EntityRecognizer {
            gazetteer: std::sync::Arc::new(gazetteer),
            patterns,
            first_names: Arc::new(first_names),
            first_name_source: "pattern:person.first-name".into(),
            surname_source: "pattern:person.surname".into(),
        }
    }

    /// "Alexander Dubček", "Jan Palach": a known first name and one to three
    /// capitalized words after it.
    fn first_name_persons(
        &self,
        text: &str,
        sent: &Sentence,
        toks: &[segment::Token],
    ) -> Vec<Annotation> {
        let mut out = Vec::new();
        if sent.title_case {
            return out;
        }
        let is_cap = |t: &segment::Token| {
            t.kind == segment::TokenKind::Word
                && t.span.of(text).chars().next().is_some_and(char::is_uppercase)
        };
        let b = text.as_bytes();
        let mut i = 0;
        while i < toks.len() {
            // First names are a capital and two lowercase letters or more
            // (see `new`): most tokens fail on their first two bytes, with
            // no look-up.
            let t = toks[i].span;
            if t.len() < 3 || b[t.start] < 0x80 && !first_name_bytes(b[t.start], b[t.start + 1]) {
                i += 1;
                continue;
            }
            let w = t.of(text);
            if !w.starts_with(char::is_uppercase) || !self.first_names.contains(w) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            let mut end = None;
            while j < toks.len() && j <= i + 4 {
                let gap = &text[toks[j - 1].span.end..toks[j].span.start];
                let t = &toks[j];
                let tw = t.span.of(text);
                if is_cap(t)
                    && (gap == " " || gap.is_empty() && tw.len() > 1)
                    && !super::patterns::NOT_NAMES.contains(&tw)
                {
                    end = Some(t.span.end);
                    j += 1;
                } else if matches!(
                    tw,
                    "al" | "el" | "bin" | "ibn" | "de" | "van" | "von" | "da" | "-"
                ) && gap.len() <= 1
                {
                    j += 1;
                } else {
                    break;
                }
            }
            if let Some(end) = end {
                let span = Span::new(toks[i].span.start, end);
                let a = Annotation {
                    span,
                    layer: Layer::Entity,
                    label: "PERSON",
                    source: self.first_name_source.clone(),
                    attrs: Attrs::Entity { kb_id: None, canonical: Some(span.of(text).into()) },
                };
                out.push(a);
                i = j;
            } else {
                i += 1;
            }
        }
        out
    }

    /// Finds the entities of `text` inside `sentences`; `dates` (sorted)
    /// veto names inside date expressions ("March" in "March 3, 1990").
    pub fn recognize(
        &self,
        text: &str,
        sentences: &[Sentence],
        tokens: &[Vec<segment::Token>],
        dates: &[Annotation],
    ) -> Vec<Annotation> {
        let mut cands: Vec<Cand> = Vec::new();
        let mut pattern_found: Vec<Option<Annotation>> = Vec::new();
        let mut scratch = super::patterns::Scratch::default();
        let mut found_here = Vec::new();
        let mut gazetteer_found = Vec::new();
        for (sent, toks) in sentences.iter().zip(tokens) {
            let s = sent.span.of(text);
            let starts = segment::word_starts(toks).map(|p| p - sent.span.start);
            self.gazetteer.candidates_into(s, starts, &mut gazetteer_found);
            for mut c in gazetteer_found.drain(..) {
                c.span.start += sent.span.start;
                c.span.end += sent.span.start;
                let e = self.gazetteer.entry(c.entry);
                let list = self.gazetteer.list_name(e);
                let small = e.population.is_some_and(|p| p < MIN_BARE_POPULATION);
                // The word before, asked twice below.
                let prev = prev_word(text, sent, c.span);
                let cue = has_locative_cue(text, sent, c.span, prev);
                if small && !cue {
                    continue;
                }
                // Countries and nationalities are news's most frequent names:
                // their capitals are cue enough ("Turkey", "China").
                let strong = matches!(list, "countries" | "norp");
                if let Some(a) =
                    (!strong).then(|| self.gazetteer.ambiguity(c.span.of(text))).flatten()
                {
                    if !ambiguous_ok(text, sent, c.span, a, cue) {
                        continue;
                    }
                }
                if is_vessel_prefix(prev) {
                    continue;
                }
                let priority = if list.starts_with("user:") {
                    0
                } else if matches!(list, "cities" | "subdivisions") {
                    4
                } else {
                    1
                };
                cands.push(Cand { span: c.span, priority, found: Found::Gazetteer(c) });
            }
            for a in self.first_name_persons(text, sent, toks) {
                let found = Found::Pattern(pattern_found.len());
                cands.push(Cand { span: a.span, priority: 2, found });
                pattern_found.push(Some(a));
            }
            self.patterns.find_into(
                text,
                sent.span,
                sent.title_case,
                &mut scratch,
                &mut found_here,
            );
            for a in found_here.drain(..) {
                if is_vessel_prefix(prev_word(text, sent, a.span)) {
                    continue;
                }
                let priority = if a.label == "PERSON" { 2 } else { 3 };
                let found = Found::Pattern(pattern_found.len());
                cands.push(Cand { span: a.span, priority, found });
                pattern_found.push(Some(a));
            }
        }
        cands.retain(|c| !inside_date(dates, c.span));
        let mut found = resolve(&cands, pattern_found, &self.gazetteer);
        propagate_surnames(text, sentences, &mut found, &self.surname_source);
        found
    }
}

/// False when a word that starts with the ASCII byte `first`, then
/// `second`, is no first name: `first` is not a capital, or `second` is
/// ASCII but not a lowercase letter.
fn first_name_bytes(first: u8, second: u8) -> bool {
    first.is_ascii_uppercase() && (second >= 0x80 || second.is_ascii_lowercase())
}

fn inside_date(dates: &[Annotation], span: Span) -> bool {
    let i = dates.partition_point(|d| d.span.end <= span.start);
    dates.get(i).is_some_and(|d| d.span.overlaps(span))
}

/// The longest-first winners of `cands` (`resolve::winners`), by
/// length (longest first), start, priority and source. The patterns'
/// winners get their project ids here: many of their candidates lose,
/// and an id is an allocation.
fn resolve(
    cands: &[Cand],
    mut patterns: Vec<Option<Annotation>>,
    gazetteer: &Gazetteer,
) -> Vec<Annotation> {
    let order = crate::resolve::stable_order(cands, |c| {
        (std::cmp::Reverse(c.span.len()), c.span.start, c.priority, c.source(gazetteer, &patterns))
    });
    let mut id = String::new();
    crate::resolve::winners(&order, |i| cands[i].span)
        .into_iter()
        .map(|i| match &cands[i].found {
            Found::Gazetteer(g) => gazetteer.annotation(g),
            Found::Pattern(k) => {
                let mut a = patterns[*k].take().expect("each candidate wins once");
                set_project_id(&mut a, &mut id);
                a
            }
        })
        .collect()
}

/// A project id for names found by patterns: `person:`, `org:` or `loc:`
/// and a slug of the name, written in `id` (a buffer kept from one call
/// to the next: the id's one allocation is its `Arc`).
fn set_project_id(a: &mut Annotation, id: &mut String) {
    let prefix = match a.label {
        "PERSON" => "person",
        "ORG" => "org",
        "LOC" => "loc",
        "GPE" => "gpe",
        _ => "norp",
    };
    if let Attrs::Entity { kb_id, canonical } = &mut a.attrs {
        if kb_id.is_none() {
            project_id(prefix, canonical.as_deref().unwrap_or(""), id);
            *kb_id = Some(id.as_str().into());
        }
    }
}

/// `prefix:slug`: the slug lowercases the name's alphanumeric characters
/// and puts one hyphen for each run of others between them. Written into
/// `id` in place of what it held (the slug is the part after `prefix:`).
fn project_id(prefix: &str, name: &str, id: &mut String) {
    id.clear();
    id.push_str(prefix);
    id.push(':');
    let slug_start = id.len();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            if ch.is_ascii() {
                id.push(ch.to_ascii_lowercase());
            } else {
                id.extend(ch.to_lowercase());
            }
        } else if !id.ends_with('-') && id.len() > slug_start {
            id.push('-');
        }
    }
    // Lowercase letters are never hyphens: a trailing one is a separator.
    while id.len() > slug_start && id.ends_with('-') {
        id.pop();
    }
}

fn prev_word<'t>(text: &'t str, sent: &Sentence, span: Span) -> &'t str {
    // A word is short: 40 bytes back are enough, whatever the sentence.
    last_word(text[segment::back(text, sent.span.start, span.start, 40)..span.start].trim_end())
}

/// The text after the last space, `(`, `"` or `“` of `before`.
fn last_word(before: &str) -> &str {
    // ASCII (most text): the same split, byte by byte.
    if before.is_ascii() {
        let b = before.as_bytes();
        let cut = b.iter().rposition(|&c| segment::is_space_byte(c) || matches!(c, b'(' | b'"'));
        return &before[cut.map_or(0, |i| i + 1)..];
    }
    before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
        .next()
        .unwrap_or("")
}

/// A locative cue before `span` (`prev` is its [`prev_word`]) or a
/// capitalized word after its comma ("Sale, Cheshire").
fn has_locative_cue(text: &str, sent: &Sentence, span: Span, prev: &str) -> bool {
    let after = &text[span.end..sent.span.end];
    let cue = if prev.is_ascii() {
        is_ascii_locative_cue(prev)
    } else {
        LOCATIVE_CUES.iter().any(|c| lowercase_is(prev, c))
    };
    cue || (after.starts_with(", ") && after[2..].starts_with(|c: char| c.is_uppercase()))
}

/// True when the ASCII `word` is a [`LOCATIVE_CUES`] word in any case,
/// lowercased into a buffer (no cue is longer than eight bytes).
fn is_ascii_locative_cue(word: &str) -> bool {
    let w = word.as_bytes();
    if !(2..=8).contains(&w.len()) {
        return false;
    }
    let mut buf = [0u8; 8];
    for (d, s) in buf.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    let lowered = &buf[..w.len()];
    LOCATIVE_CUES.iter().any(|c| c.as_bytes() == lowered)
}

/// `word.to_lowercase() == lower`, without building the lowercase string.
/// (`to_lowercase` maps a final capital sigma by its context; `lower`s
/// here hold no sigma, and no other character lowercases to one.)
fn lowercase_is(word: &str, lower: &str) -> bool {
    word.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// True when `prev`, the word before a name, makes it a vessel.
fn is_vessel_prefix(prev: &str) -> bool {
    VESSEL_PREFIXES.contains(&prev)
}

/// Context rules for names that are also words or first names. A common
/// word is taken inside running text only with a locative cue before it
/// ("in Nice", "to Chad") and never when a number follows ("March 3"); a
/// first name only when no capitalized word follows ("Jordan Peterson").
fn ambiguous_ok(text: &str, sent: &Sentence, span: Span, a: Ambiguity, cue: bool) -> bool {
    let at_start = text[sent.span.start..span.start].trim().is_empty();
    let after = &text[span.end..];
    let number_next =
        after.trim_start_matches([' ', ',']).starts_with(|c: char| c.is_ascii_digit());
    let common_ok = cue && !at_start && !sent.title_case && !number_next;
    let next_cap =
        after.strip_prefix(' ').and_then(|r| r.chars().next()).is_some_and(char::is_uppercase);
    let person_ok = !next_cap && !number_next;
    match a {
        Ambiguity::CommonWord => common_ok,
        Ambiguity::PersonName => person_ok,
        Ambiguity::Both => common_ok && person_ok,
    }
}

/// Later mentions of a person by surname alone ("Sadat" after "Anwar
/// Sadat") are PERSON too, with the full mention's id. They replace a
/// place of the same name found by the gazetteer ("Kennedy", "Bush").
fn propagate_surnames(
    text: &str,
    sentences: &[Sentence],
    found: &mut Vec<Annotation>,
    source: &Arc<str>,
) {
    // (surname, kb_id, canonical) of each full mention.
    type Link = Option<Arc<str>>;
    let mut names: Vec<(String, Link, Link)> = Vec::new();
    for a in found.iter().filter(|a| a.label == "PERSON") {
        let full = a.span.of(text);
        let last = full
            .split_whitespace()
            .rev()
            .find(|w| !matches!(*w, "Jr." | "Sr." | "Jr" | "Sr"))
            .unwrap_or(full)
            .trim_end_matches(',');
        if last.chars().count() < 3 || !last.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        if let Attrs::Entity { kb_id, canonical } = &a.attrs {
            if !names.iter().any(|(n, _, _)| n == last) {
                names.push((last.to_string(), kb_id.clone(), canonical.clone()));
            }
        }
    }
    if names.is_empty() {
        return;
    }
    // One searcher per surname, built once per document.
    let finders: Vec<memchr::memmem::Finder<'_>> =
        names.iter().map(|(n, _, _)| memchr::memmem::Finder::new(n.as_bytes())).collect();
    // Every name's occurrences inside sentences, taken sentence by
    // sentence, then name by name, then by start (as one search of each
    // sentence per name would find them).
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    for (n, finder) in finders.iter().enumerate() {
        occurrences_in(text.as_bytes(), sentences, finder, |k, start| hits.push((k, n, start)));
    }
    hits.sort_unstable();
    let mut added = Vec::new();
    for &(_, n, start) in &hits {
        let (name, kb, canon) = &names[n];
        let span = Span::new(start, start + name.len());
        if !segment::is_boundary(text, span) {
            continue;
        }
        let k = found.partition_point(|a| a.span.end <= span.start);
        let clash = found.get(k).filter(|a| a.span.overlaps(span)).map(|_| k);
        match clash {
            None => {}
            Some(i)
                if found[i].span == span
                    && found[i].label == "GPE"
                    && is_minor_place(&found[i]) =>
            {
                found.remove(i);
            }
            Some(_) => continue,
        }
        added.push(Annotation {
            span,
            layer: Layer::Entity,
            label: "PERSON",
            source: source.clone(),
            attrs: Attrs::Entity { kb_id: kb.clone(), canonical: canon.clone() },
        });
    }
    found.extend(added);
    found.sort_by_key(|a| a.span.start);
}

/// The starts of the occurrences of `finder`'s needle (not empty) inside
/// `sentences` of `hay`, given to `found` as (sentence index, start), in
/// order: what a non-overlapping search of each sentence alone finds.
/// Over sentences sorted and apart (as `segment::sentences` gives them),
/// one search runs over all the sentences between two occurrences; other
/// lists get that search of each sentence alone.
fn occurrences_in(
    hay: &[u8],
    sentences: &[Sentence],
    finder: &memchr::memmem::Finder<'_>,
    mut found: impl FnMut(usize, usize),
) {
    if !sentences.windows(2).all(|w| w[0].span.end <= w[1].span.start) {
        for (k, sent) in sentences.iter().enumerate() {
            let s = sent.span;
            finder.find_iter(&hay[s.start..s.end]).for_each(|at| found(k, s.start + at));
        }
        return;
    }
    let len = finder.needle().len().max(1);
    let Some(hi) = sentences.last().map(|s| s.span.end) else { return };
    let (mut k, mut pos) = (0, 0);
    while k < sentences.len() {
        let sent = sentences[k].span;
        pos = pos.max(sent.start);
        let Some(off) = finder.find(&hay[pos..hi]) else { return };
        let (start, end) = (pos + off, pos + off + len);
        if end <= sent.end {
            found(k, start);
            pos = end;
        } else {
            // None from `pos` on fits in this sentence, nor in those that
            // end before `end` (an occurrence there would start earlier).
            k += 1;
            while k < sentences.len() && sentences[k].span.end < end {
                k += 1;
            }
        }
    }
}

fn is_minor_place(a: &Annotation) -> bool {
    matches!(&*a.source, "gazetteer:cities" | "gazetteer:subdivisions")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan of ASCII text splits where the `char` split does
    /// (spaces of every kind, `(`, `"`, `“`).
    #[test]
    fn last_word_as_the_split_gives_it() {
        fn split(b: &str) -> &str {
            b.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
                .next()
                .unwrap_or("")
        }
        for b in [
            "",
            "in",
            "troops moved into",
            "(from",
            "said \"near",
            "a\tb",
            "a\u{b}b",
            "a\u{c}b",
            "x\u{1c}y",
            "HMS",
            "the “Iran",
            "Москва в",
            "nbsp\u{a0}to",
            "em\u{2003}at",
            "a)(b",
            "trailing ",
            " ",
        ] {
            assert_eq!(last_word(b), split(b), "{b:?}");
        }
    }

    /// `occurrences_in` finds what a non-overlapping search of each
    /// sentence alone finds: names that overlap themselves ("aba" in
    /// "ababa"), occurrences across two sentences, at their ends, in
    /// touching and empty sentences, around non-ASCII text.
    #[test]
    fn occurrences_in_are_each_sentences_own() {
        let sent = |a: usize, b: usize| Sentence {
            span: Span::new(a, b),
            heading: false,
            title_case: false,
        };
        let text = "ababa abab. aba|ba Sadat é Sadat€Sadat";
        let n = text.len();
        let layouts: Vec<Vec<Sentence>> = vec![
            vec![],
            vec![sent(0, n)],
            vec![sent(0, 5), sent(5, 11), sent(12, 18), sent(18, n)],
            vec![sent(0, 2), sent(2, 4), sent(4, 4), sent(4, 13), sent(14, 24), sent(25, n)],
            vec![sent(1, 3), sent(3, 15), sent(16, 19), sent(30, n)],
            (0..n).filter(|i| text.is_char_boundary(*i)).map(|i| sent(i, i)).collect(),
        ];
        for needle in ["aba", "ab", "a", "ba|b", "Sadat", "abab. aba", "é", "€S", "x"] {
            let finder = memchr::memmem::Finder::new(needle);
            for sentences in &layouts {
                let mut want = Vec::new();
                for (k, s) in sentences.iter().enumerate() {
                    let hay = &text.as_bytes()[s.span.start..s.span.end];
                    want.extend(finder.find_iter(hay).map(|off| (k, s.span.start + off)));
                }
                let mut got = Vec::new();
                occurrences_in(text.as_bytes(), sentences, &finder, |k, at| got.push((k, at)));
                assert_eq!(got, want, "{needle:?} in {sentences:?}");
            }
        }
    }

    /// `project_id` writes what building the slug apart and formatting
    /// it gave, whatever its buffer held before.
    #[test]
    fn project_id_is_prefix_and_slug() {
        fn old(prefix: &str, name: &str) -> String {
            let mut slug = String::new();
            for ch in name.chars() {
                if ch.is_alphanumeric() {
                    slug.extend(ch.to_lowercase());
                } else if !slug.ends_with('-') && !slug.is_empty() {
                    slug.push('-');
                }
            }
            format!("{prefix}:{}", slug.trim_end_matches('-'))
        }
        let mut id = String::from("stale:text-of-a-longer-earlier-id");
        for name in [
            "",
            "-",
            " - ",
            "Anwar Sadat",
            "  Anwar  el-Sadat, Jr. ",
            "Ministry of Defence",
            "Édouard Balladur",
            "İstanbul ΣΟΦΟΣ Straße",
            "Лев Толстой",
            "عبد الناصر",
            "Party 😀 of €5",
            "ǅemal Ⅻ ½",
            "end-",
        ] {
            for prefix in ["person", "org", "loc", "gpe", "norp"] {
                project_id(prefix, name, &mut id);
                assert_eq!(id, old(prefix, name), "{name:?}");
            }
        }
    }

    /// `is_ascii_locative_cue` is the case-blind comparison with every cue,
    /// and `first_name_bytes` turns away no first name.
    #[test]
    fn cue_and_first_name_shortcuts() {
        let mut words: Vec<String> = LOCATIVE_CUES.iter().map(|c| c.to_string()).collect();
        words.extend(LOCATIVE_CUES.iter().map(|c| c.to_uppercase()));
        words.extend(LOCATIVE_CUES.iter().map(|c| format!("{c}s")));
        words.extend(LOCATIVE_CUES.iter().map(|c| c[1..].to_string()));
        words.extend(
            ["", "i", "In", "tO", "OUTSIDE", "outsides", "betweenx", "a", "the", "9"]
                .map(String::from),
        );
        for w in &words {
            let want = LOCATIVE_CUES.iter().any(|c| c.eq_ignore_ascii_case(w));
            assert_eq!(is_ascii_locative_cue(w), want, "{w:?}");
        }
        for name in ["Anwar", "Jan", "Émile", "Zoë", "Ali", "Omar", "Łukasz", "Ödön"] {
            let b = name.as_bytes();
            assert!(b[0] >= 0x80 || first_name_bytes(b[0], b[1]), "{name}");
        }
        for word in ["the", "US", "NATO", "A.", "3rd", "O'Brien", "iPhone"] {
            let b = word.as_bytes();
            assert!(!first_name_bytes(b[0], b[1]), "{word}");
        }
    }

    /// `lowercase_is` agrees with comparing `to_lowercase`'s string, for
    /// words that are not ASCII and strings without a sigma (a final
    /// capital sigma is where the two differ: ς in a string, σ alone).
    #[test]
    fn lowercase_is_matches_to_lowercase() {
        let words = [
            "",
            "İN",
            "In",
            "ın",
            "ΣΟΦΟΣ",
            "σοφος",
            "Kelvin",
            "\u{212a}",
            "NEAR",
            "Nëar",
            "Т0",
            "Ατ",
            "😀",
            "ﬁ",
            "ǅ",
        ];
        for w in words {
            for c in LOCATIVE_CUES.iter().chain(["i\u{307}n", "k", "ıN", "ﬁ", "ǆ", ""].iter()) {
                assert_eq!(lowercase_is(w, c), w.to_lowercase() == *c, "{w:?} {c:?}");
            }
        }
    }
}
