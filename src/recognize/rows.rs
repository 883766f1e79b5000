//! A small Aho-Corasick DFA laid out again in rows of `N` `u16`
//! transitions: the keywords of the pattern rules (32 classes, one cache
//! line a state) and the event triggers (64) scan every sentence with it,
//! and the library's rows (`u32` ids, classes in byte order) take two to
//! three times the cache.
//!
//! The rows are read off the library's DFA: every state reachable from its
//! unanchored start, and bytes grouped into classes that no state tells
//! apart, the classes of the commonest bytes of English text numbered
//! first (in a 64-class row, a step over letters and spaces reads the
//! row's first cache line). So the matches are the DFA's own, in its
//! order.

use crate::recognize::gazetteer::FnvMap;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::Anchored;

/// Set on a transition into a state where patterns end.
const MATCH: u16 = 0x8000;

/// The bytes whose classes are numbered first, commonest first.
const COMMON: &[u8] = b" etaoinshrdlcumwfgypbvkjxqz-'ETAOINSHRDLCUMWFGYPBVKJXQZ";

/// One state's transitions by class, from a cache line's start.
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
struct Row<const N: usize>([u16; N]);

/// The rows of an unanchored DFA (see the module doc), `N` classes a row
/// (a power of two).
#[derive(Debug, Clone)]
pub struct Rows<const N: usize = 32> {
    class: [u8; 256],
    rows: Vec<Row<N>>,
    /// For each state, its range of `pids`.
    ends: Vec<(u32, u32)>,
    /// The patterns that end in each state, as the DFA lists them.
    pids: Vec<u32>,
    /// Each pattern's length.
    lens: Vec<u32>,
    start: u16,
}

impl<const N: usize> Rows<N> {
    const STRIDE_IS_A_POWER_OF_TWO: () = assert!(N.is_power_of_two());

    /// The rows of `dfa` (unanchored, without a prefilter, no empty
    /// pattern); `None` when it does not fit: more than `N` classes of
    /// bytes, more than 32,767 states, a dead state, or an empty pattern.
    pub fn new(dfa: &DFA) -> Option<Rows<N>> {
        let () = Self::STRIDE_IS_A_POWER_OF_TWO;
        let start = dfa.start_state(Anchored::No).ok()?;
        // (An empty pattern would match in the start state, which no
        // transition enters first.)
        if dfa.is_match(start) {
            return None;
        }
        // State ids are offsets into the DFA's table: a plain vector maps
        // them to row numbers (u16::MAX: not seen yet).
        let mut index: Vec<u16> = Vec::new();
        fn seen(sid: StateID, index: &mut Vec<u16>) -> &mut u16 {
            if index.len() <= sid.as_usize() {
                index.resize(sid.as_usize() + 1, u16::MAX);
            }
            &mut index[sid.as_usize()]
        }
        let mut states = vec![start];
        *seen(start, &mut index) = 0;
        // next[s][b]: the state index after byte b in state s.
        let mut next: Vec<[u16; 256]> = Vec::new();
        let mut k = 0;
        while k < states.len() {
            let sid = states[k];
            let mut row = [0u16; 256];
            for (b, to) in (0..=255u8).zip(row.iter_mut()) {
                let n = dfa.next_state(Anchored::No, sid, b);
                if dfa.is_dead(n) {
                    return None;
                }
                let slot = seen(n, &mut index);
                if *slot == u16::MAX {
                    *slot = u16::try_from(states.len()).ok().filter(|&i| i < MATCH)?;
                    states.push(n);
                }
                *to = *slot;
            }
            next.push(row);
            k += 1;
        }
        // Bytes whose columns agree in every state share a class (a byte
        // of COMMON is seen twice, and finds its class the second time).
        let mut classes: FnvMap<Vec<u16>, u8> = FnvMap::default();
        let mut class = [0u8; 256];
        let mut reps = Vec::new();
        for b in COMMON.iter().map(|&b| usize::from(b)).chain(0..256) {
            let col: Vec<u16> = next.iter().map(|r| r[b]).collect();
            let n = classes.len();
            let c = *classes.entry(col).or_insert_with(|| {
                reps.push(b);
                n as u8
            });
            if classes.len() > N {
                return None;
            }
            class[b] = c;
        }
        let is_match: Vec<bool> = states.iter().map(|&s| dfa.is_match(s)).collect();
        let rows = next
            .iter()
            .map(|r| {
                let mut row = Row([0; N]);
                for (c, &b) in reps.iter().enumerate() {
                    let to = r[b];
                    row.0[c] = to | if is_match[usize::from(to)] { MATCH } else { 0 };
                }
                row
            })
            .collect();
        let mut ends = Vec::with_capacity(states.len());
        let mut pids = Vec::new();
        for &s in &states {
            let from = pids.len() as u32;
            if dfa.is_match(s) {
                pids.extend((0..dfa.match_len(s)).map(|i| dfa.match_pattern(s, i).as_u32()));
            }
            ends.push((from, pids.len() as u32));
        }
        let lens = (0..dfa.patterns_len())
            .map(|p| dfa.pattern_len(aho_corasick::PatternID::new_unchecked(p)) as u32)
            .collect();
        Some(Rows { class, rows, ends, pids, lens, start: 0 })
    }

    /// The matches in `hay`, overlapping, as (start, end, pattern), in the
    /// order [`crate::recognize::automaton::Overlapping`] gives the DFA's.
    pub fn overlapping<'r, 'h>(&'r self, hay: &'h [u8]) -> Matches<'r, 'h, N> {
        Matches { rows: self, hay, at: 0, state: self.start, next: 0, end: 0 }
    }

    /// Steps from `state` over `hay` from `at` to just after the first byte
    /// that enters a match state: that position and state, or the end and
    /// the state there. Not inlined, so that the loop keeps its values in
    /// registers.
    #[inline(never)]
    fn to_match(&self, hay: &[u8], mut at: usize, mut state: u16) -> (usize, u16, bool) {
        let step = |state: u16, b: u8| {
            let class = usize::from(self.class[usize::from(b)]) & (N - 1);
            self.rows[usize::from(state)].0[class]
        };
        // Four bytes a round, without a count for each.
        let mut quads = hay[at.min(hay.len())..].chunks_exact(4);
        for q in &mut quads {
            for (k, &b) in q.iter().enumerate() {
                let to = step(state, b);
                state = to & !MATCH;
                if to & MATCH != 0 {
                    return (at + k + 1, state, true);
                }
            }
            at += 4;
        }
        for &b in quads.remainder() {
            let to = step(state, b);
            state = to & !MATCH;
            at += 1;
            if to & MATCH != 0 {
                return (at, state, true);
            }
        }
        (at, state, false)
    }
}

/// The iterator of [`Rows::overlapping`].
pub struct Matches<'r, 'h, const N: usize> {
    rows: &'r Rows<N>,
    hay: &'h [u8],
    /// The bytes read so far.
    at: usize,
    state: u16,
    /// The state's patterns left to report: `pids[next..end]`.
    next: u32,
    end: u32,
}

impl<const N: usize> Iterator for Matches<'_, '_, N> {
    type Item = (usize, usize, usize);
    fn next(&mut self) -> Option<Self::Item> {
        if self.next == self.end {
            if self.at >= self.hay.len() {
                return None;
            }
            let found;
            (self.at, self.state, found) = self.rows.to_match(self.hay, self.at, self.state);
            if !found {
                return None;
            }
            (self.next, self.end) = self.rows.ends[usize::from(self.state)];
        }
        let pid = self.rows.pids[self.next as usize];
        self.next += 1;
        let len = self.rows.lens[pid as usize] as usize;
        Some((self.at - len, self.at, pid as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::automaton::Overlapping;

    fn dfa(words: &[&str]) -> DFA {
        DFA::builder().ascii_case_insensitive(true).prefilter(false).build(words).unwrap()
    }

    /// The rows report what the library's DFA reports, in its order:
    /// nested and repeated keywords, case, non-ASCII bytes, matches at the
    /// ends and far from the start.
    #[test]
    fn rows_match_the_dfa() {
        let words = [
            "Army",
            "Red Army",
            "army",
            "Minister",
            "Prime Minister",
            "Dr.",
            "al-",
            "St.",
            "Gulf",
            "of",
            "a",
            "Sea",
            "Seas",
            "Café",
            "Москва",
        ];
        let d = dfa(&words);
        let rows32 = Rows::<32>::new(&d).expect("a small DFA fits");
        let rows64 = Rows::<64>::new(&d).expect("a small DFA fits");
        let far = format!("{}Prime MINISTER of the red army", "é€😀 ".repeat(500));
        let texts = [
            "",
            "a",
            "Army",
            "the Red Army and the RED ARMY, armys of Seas",
            "Prime Minister Dr. al-Assad at St. Petersburg on the Gulf",
            "Café Москва مصر 😀 café",
            "seaseaseas",
            &far,
        ];
        for t in texts {
            let want: Vec<_> = Overlapping::new(&d, t.as_bytes()).collect();
            let got: Vec<_> = rows32.overlapping(t.as_bytes()).collect();
            assert_eq!(got, want, "{t:?}");
            let got: Vec<_> = rows64.overlapping(t.as_bytes()).collect();
            assert_eq!(got, want, "64 classes: {t:?}");
        }
        let all: usize = texts.iter().map(|t| rows32.overlapping(t.as_bytes()).count()).sum();
        assert!(all > 30, "the texts hold keywords");
    }

    /// Automata that do not fit give `None`, not wrong rows.
    #[test]
    fn too_many_classes_do_not_fit() {
        let bytes: Vec<String> = (0u8..64).map(|i| format!("{}x", (b'!' + i) as char)).collect();
        let words: Vec<&str> = bytes.iter().map(String::as_str).collect();
        assert!(Rows::<32>::new(&dfa(&words)).is_none());
        assert!(Rows::<64>::new(&dfa(&words)).is_none());
    }
}
