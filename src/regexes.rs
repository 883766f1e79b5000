//! Regex helpers shared by the rule-driven stages (clean, patterns,
//! dates): fast companions of rule regexes that keep their exact results.
//!
//! A Unicode word boundary `\b` stops the regex crate's lazy DFA at the
//! first non-ASCII byte (’ “ — é are in a third of news lines), and the
//! search continues in a backtracking or Pike VM engine tens of times
//! slower. The same pattern without its word-boundary assertions matches a
//! superset of the texts, and the DFA runs it at full speed: it answers
//! "no" for the original, and the original runs only where it says "maybe".
//! A pattern whose only boundary is its last item can do better still:
//! the fast match is the original's whenever a boundary holds at its end.

use regex::Regex;

/// `pattern` with every `\b` and `\B` assertion removed (escaped
/// backslashes are kept): it matches wherever `pattern` does.
pub fn without_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b' | 'B') => {
                // `\b{start}`, `\b{end}`, `\b{start-half}`, `\b{end-half}`.
                if chars.as_str().starts_with('{') {
                    if let Some(k) = chars.as_str().find('}') {
                        chars = chars.as_str()[k + 1..].chars();
                    }
                }
            }
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// True when `pattern` contains a `\b` or `\B` assertion.
pub fn has_word_boundary(pattern: &str) -> bool {
    without_word_boundaries(pattern).len() != pattern.len()
}

/// True when `s` has a word character outside ASCII (é, Cyrillic, Arabic
/// digits), where ASCII and Unicode word boundaries may differ.
pub fn has_non_ascii_word(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(|c| !c.is_ascii() && regex_syntax::is_word_character(c))
}

/// True when a Unicode word boundary (`\b`) holds at byte `pos` of `text`.
pub fn is_word_boundary(text: &str, pos: usize) -> bool {
    let before = text[..pos].chars().next_back().is_some_and(regex_syntax::is_word_character);
    let after = text[pos..].chars().next().is_some_and(regex_syntax::is_word_character);
    before != after
}

/// The branches of `hir`'s top-level alternation, under any groups around
/// it (the whole of `hir` when it has none).
pub fn top_branches(hir: &regex_syntax::hir::Hir) -> &[regex_syntax::hir::Hir] {
    use regex_syntax::hir::HirKind;
    let mut top = hir;
    while let HirKind::Capture(c) = top.kind() {
        top = &c.sub;
    }
    match top.kind() {
        HirKind::Alternation(b) => b.as_slice(),
        _ => std::slice::from_ref(top),
    }
}

/// A value built at most once for it and all its clones, of which each
/// clone keeps a copy of its own: a regex's copy has its own search
/// caches, so workers (one clone each) build a regex once and do not
/// share its caches.
#[derive(Debug)]
pub struct SharedOnce<T> {
    shared: std::sync::Arc<std::sync::OnceLock<T>>,
    local: std::sync::OnceLock<T>,
}

impl<T> Clone for SharedOnce<T> {
    fn clone(&self) -> SharedOnce<T> {
        SharedOnce { shared: self.shared.clone(), local: std::sync::OnceLock::new() }
    }
}

impl<T> Default for SharedOnce<T> {
    fn default() -> SharedOnce<T> {
        SharedOnce { shared: Default::default(), local: std::sync::OnceLock::new() }
    }
}

impl<T: Clone> SharedOnce<T> {
    /// This clone's copy, built by `build` if no clone has built it yet.
    #[inline]
    pub fn get_or_init(&self, build: impl FnOnce() -> T) -> &T {
        self.local.get_or_init(|| self.shared.get_or_init(build).clone())
    }

    /// Builds the shared value now, unless a clone has; an error of
    /// `build` leaves it unbuilt.
    ///
    /// # Errors
    /// What `build` returns.
    pub fn try_init<E>(&self, build: impl FnOnce() -> Result<T, E>) -> Result<(), E> {
        if self.shared.get().is_none() {
            let _ = self.shared.set(build()?);
        }
        Ok(())
    }
}

/// A regex compiled the first time it is used; its syntax is checked
/// when it is made (parsing is cheap, compiling is not). Clones (one per
/// worker) share the compiled program, so it is compiled once, and each
/// keeps a copy of its own, so each has its own search caches.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    pattern: std::sync::Arc<str>,
    build: fn(&str) -> Result<Regex, regex::Error>,
    regex: SharedOnce<Regex>,
}

impl LazyRegex {
    /// A regex of `pattern`, to be compiled by `build`.
    ///
    /// # Errors
    /// A syntax error of the pattern.
    pub fn new(
        pattern: &str,
        build: fn(&str) -> Result<Regex, regex::Error>,
    ) -> Result<LazyRegex, regex::Error> {
        regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        Ok(LazyRegex { pattern: pattern.into(), build, regex: SharedOnce::default() })
    }

    /// The compiled regex.
    #[inline]
    pub fn get(&self) -> &Regex {
        self.regex.get_or_init(|| {
            (self.build)(&self.pattern).expect("a pattern whose syntax checked compiles")
        })
    }

    /// Compiles the regex now.
    ///
    /// # Errors
    /// What compiling the pattern returns (a size limit, say).
    pub fn compile(&self) -> Result<(), regex::Error> {
        self.regex.try_init(|| (self.build)(&self.pattern))
    }
}

/// A rule regex with a fast superset gate when it has word boundaries.
/// The rule's own regex is then compiled the first time the gate lets a
/// text through: most rules never need it in a small run, and start-up
/// does not pay for them.
#[derive(Debug, Clone)]
pub struct Gated {
    /// The rule's own regex (compiled on first use).
    pub exact: LazyRegex,
    gate: Option<Regex>,
}

impl Gated {
    /// Compiles `pattern`'s gate (or, without word boundaries, the
    /// pattern itself) with `build`, and checks the pattern's syntax.
    ///
    /// # Errors
    /// Whatever `build` returns; a syntax error of the pattern.
    pub fn new(
        pattern: &str,
        build: fn(&str) -> Result<Regex, regex::Error>,
    ) -> Result<Gated, regex::Error> {
        let exact = LazyRegex::new(pattern, build)?;
        let gate = if has_word_boundary(pattern) {
            Some(build(&without_word_boundaries(pattern))?)
        } else {
            exact.get();
            None
        };
        Ok(Gated { exact, gate })
    }

    /// `exact.is_match(hay)`, asking the gate first.
    #[inline]
    pub fn is_match(&self, hay: &str) -> bool {
        self.gate.as_ref().is_none_or(|g| g.is_match(hay)) && self.exact.get().is_match(hay)
    }

    /// `exact.captures(hay)`, asking the gate first.
    #[inline]
    pub fn captures<'h>(&self, hay: &'h str) -> Option<regex::Captures<'h>> {
        if self.gate.as_ref().is_some_and(|g| !g.is_match(hay)) {
            return None;
        }
        self.exact.get().captures(hay)
    }

    /// `exact.find(hay)`, asking the gate first.
    #[inline]
    pub fn find<'h>(&self, hay: &'h str) -> Option<regex::Match<'h>> {
        if self.gate.as_ref().is_some_and(|g| !g.is_match(hay)) {
            return None;
        }
        self.exact.get().find(hay)
    }
}

/// A rule regex whose only word boundary is its last item (`…\b`): its
/// matches come from the same pattern without it, kept when a boundary
/// holds at their end; only where one does not does the rule's own regex
/// search again. Leftmost-first matching makes the two agree: the fast
/// regex's preferred match, when it ends on a boundary, is also the
/// preferred match of the original.
#[derive(Debug, Clone)]
pub struct TrailingBoundary {
    /// The rule's own regex (compiled on first use).
    pub exact: LazyRegex,
    fast: Option<Regex>,
}

impl TrailingBoundary {
    /// Compiles the fast regex when `pattern` ends in its only `\b`
    /// (else the pattern itself) with `build`; the rule's own regex is
    /// compiled when first needed.
    ///
    /// # Errors
    /// Whatever `build` returns; a syntax error of the pattern.
    pub fn new(
        pattern: &str,
        build: fn(&str) -> Result<Regex, regex::Error>,
    ) -> Result<TrailingBoundary, regex::Error> {
        let exact = LazyRegex::new(pattern, build)?;
        // (With `(?-u)` somewhere the closing `\b` may be an ASCII one,
        // which `is_word_boundary` does not test: no fast path then.)
        let fast = match pattern.strip_suffix(r"\b") {
            Some(head)
                if !head.ends_with('\\')
                    && !has_word_boundary(head)
                    && !pattern.contains("(?-u") =>
            {
                Some(build(head)?)
            }
            _ => {
                exact.get();
                None
            }
        };
        Ok(TrailingBoundary { exact, fast })
    }

    /// `exact.captures(hay)`, re-matching only as much of `hay` as the
    /// match needs: the captures engine clears memory in proportion to its
    /// haystack. The overall match comes from the fast search; the rule's
    /// regex then captures over the match and the character after it (the
    /// context of the closing `\b`), and the result stands if it has the
    /// same extent: the preferred path of the whole haystack is then also
    /// the preferred path of the short one, and the reverse. Otherwise it
    /// captures over all of `hay`.
    pub fn captures<'h>(&self, hay: &'h str) -> Option<regex::Captures<'h>> {
        let (start, end) = self.find(hay)?;
        let cut = hay[end..].chars().next().map_or(end, |c| end + c.len_utf8());
        if let Some(c) = self.exact.get().captures(&hay[..cut]) {
            if c.get(0).is_some_and(|m| m.start() == start && m.end() == end) {
                return Some(c);
            }
        }
        self.exact.get().captures(hay)
    }

    /// The first match of the rule's regex in `hay`, as
    /// `exact.find(hay)` gives it.
    pub fn find(&self, hay: &str) -> Option<(usize, usize)> {
        self.find_iter_from(hay, true).into_iter().next()
    }

    /// The successive non-overlapping matches of the rule's regex in
    /// `hay`, as `exact.find_iter(hay)` gives them.
    pub fn find_iter(&self, hay: &str) -> Vec<(usize, usize)> {
        self.find_iter_from(hay, false)
    }

    fn find_iter_from(&self, hay: &str, first_only: bool) -> Vec<(usize, usize)> {
        let all = || {
            let it = self.exact.get().find_iter(hay).map(|m| (m.start(), m.end()));
            if first_only {
                it.take(1).collect()
            } else {
                it.collect()
            }
        };
        let Some(fast) = &self.fast else { return all() };
        let mut out = Vec::new();
        let mut pos = 0;
        // No fast match from `pos`: none of the rule's either.
        while let Some(m) = fast.find_at(hay, pos) {
            let m = if is_word_boundary(hay, m.end()) {
                m
            } else {
                match self.exact.get().find_at(hay, pos) {
                    Some(m) => m,
                    None => break,
                }
            };
            if m.is_empty() {
                // Empty matches follow the iterator's own stepping rules.
                return all();
            }
            out.push((m.start(), m.end()));
            if first_only {
                break;
            }
            pos = m.end();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_boundaries() {
        assert_eq!(without_word_boundaries(r"\bon\b \\b \B\d"), r"on \\b \d");
        assert_eq!(without_word_boundaries(r"\b{start}on\b{end-half}"), "on");
        assert!(has_word_boundary(r"a\b"));
        assert!(!has_word_boundary(r"a\\b"));
    }

    /// The fast paths agree with the rule's regex on ASCII and non-ASCII
    /// text, including matches that fail the boundary only in Unicode.
    #[test]
    fn fast_paths_agree() {
        let texts = [
            "the Bank of Łódź and the Bank of Québec",
            "Université de Montréal, Army’s Party",
            "onion on éon on",
            "Party Partyé Party- Party",
        ];
        for pat in [
            r"(?:[A-Z]\w*\s+)?(?:Bank|Party|Army)(?:\s+of\s+\p{Lu}\p{L}*)?\b",
            r"\bon\b",
            r"Party-?\b",
        ] {
            let t = TrailingBoundary::new(pat, Regex::new).unwrap();
            let g = Gated::new(pat, Regex::new).unwrap();
            for text in texts {
                let want: Vec<(usize, usize)> =
                    t.exact.get().find_iter(text).map(|m| (m.start(), m.end())).collect();
                assert_eq!(t.find_iter(text), want, "{pat} on {text}");
                let caps = |c: Option<regex::Captures<'_>>| {
                    c.map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                };
                assert_eq!(
                    caps(t.captures(text)),
                    caps(t.exact.get().captures(text)),
                    "{pat} on {text}"
                );
                let exact = Regex::new(pat).unwrap();
                assert_eq!(g.is_match(text), exact.is_match(text));
                assert_eq!(g.find(text).map(|m| m.range()), exact.find(text).map(|m| m.range()));
            }
        }
    }
}
