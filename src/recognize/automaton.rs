//! Overlapping matches of an Aho-Corasick DFA from a plain loop over its
//! table: the trigger lexicon (events) and the keywords of the pattern
//! rules (entities) scan every sentence this way.
//!
//! The library's overlapping search keeps its state in memory from byte to
//! byte; a small loop that is not inlined keeps it in registers and costs
//! less per byte (about 10 instructions against 16, callgrind).

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::Anchored;

/// The matches of an unanchored DFA in a haystack, overlapping, as
/// (start, end, pattern): what `AhoCorasick::find_overlapping_iter` gives,
/// in the same order (by end, then as the end state lists them). No
/// pattern may be empty (the start state is then no match), and the DFA
/// is built without a prefilter (so only the dead and match states are
/// special).
pub struct Overlapping<'d, 'h> {
    dfa: &'d DFA,
    hay: &'h [u8],
    /// The bytes read so far.
    at: usize,
    sid: StateID,
    /// The next match of `sid` to report, and how many it has.
    next: usize,
    len: usize,
}

impl<'d, 'h> Overlapping<'d, 'h> {
    /// The matches of `dfa` in `hay`.
    pub fn new(dfa: &'d DFA, hay: &'h [u8]) -> Overlapping<'d, 'h> {
        // An unanchored DFA always has an unanchored start state.
        let sid = dfa.start_state(Anchored::No).expect("the DFA is unanchored");
        Overlapping { dfa, hay, at: 0, sid, next: 0, len: 0 }
    }

    fn report(&mut self) -> (usize, usize, usize) {
        let pid = self.dfa.match_pattern(self.sid, self.next);
        self.next += 1;
        (self.at - self.dfa.pattern_len(pid), self.at, pid.as_usize())
    }
}

impl Iterator for Overlapping<'_, '_> {
    type Item = (usize, usize, usize);
    fn next(&mut self) -> Option<Self::Item> {
        if self.next < self.len {
            return Some(self.report());
        }
        if self.at < self.hay.len() {
            (self.at, self.sid) = to_special(self.dfa, self.hay, self.at, self.sid);
            if self.dfa.is_match(self.sid) {
                (self.next, self.len) = (0, self.dfa.match_len(self.sid));
                return Some(self.report());
            }
        }
        // The end of the haystack, or the dead state.
        self.at = self.hay.len();
        self.len = 0;
        None
    }
}

/// Steps `dfa` from state `sid` over `hay` from `at` to just after the
/// first byte that takes it to a special state (a match, the dead state):
/// that position and state, or the end and the state there. Not inlined,
/// so that the loop keeps its values in registers.
#[inline(never)]
fn to_special(dfa: &DFA, hay: &[u8], mut at: usize, mut sid: StateID) -> (usize, StateID) {
    let step = |sid, byte| dfa.next_state(Anchored::No, sid, byte);
    // Four bytes a round, without a bounds check or a count for each.
    let mut quads = hay[at.min(hay.len())..].chunks_exact(4);
    for q in &mut quads {
        for (k, &byte) in q.iter().enumerate() {
            sid = step(sid, byte);
            if dfa.is_special(sid) {
                return (at + k + 1, sid);
            }
        }
        at += 4;
    }
    for &byte in quads.remainder() {
        sid = step(sid, byte);
        at += 1;
        if dfa.is_special(sid) {
            break;
        }
    }
    (at, sid)
}
