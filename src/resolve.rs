//! Resolve: the overlap policy within a layer, and the rule that keeps
//! every other layer out of boilerplate.
//!
//! Within the entity and date layers the longest span wins (spaCy's
//! `filter_spans`, the scheme's "UN Security Council is one ORG"): spans are
//! taken greedily by length (longest first), then by start (earliest
//! first), then by source order, and a span that overlaps one already taken
//! is dropped. For example, with candidates "UN" (0..2), "UN Security
//! Council" (0..19) and "Security Council" (3..19), only 0..19 survives.
//! The final tie-breaks make the result independent of candidate order.

use crate::span::{Annotation, Layer, Span};

/// Keeps the longest non-overlapping annotations, sorted by start.
pub fn longest_first(cands: Vec<Annotation>) -> Vec<Annotation> {
    let order = stable_order(&cands, |a| {
        (std::cmp::Reverse(a.span.len()), a.span.start, &*a.source, a.label)
    });
    let won = winners(&order, |i| cands[i].span);
    picked(cands, won)
}

/// The greedy policy itself: the items taken in `order` (indices) when
/// their span (`span_of`) overlaps none taken before, sorted by start
/// (those with the same start in the order they were taken).
pub fn winners(order: &[u32], span_of: impl Fn(usize) -> Span) -> Vec<usize> {
    let end = order.iter().map(|&i| span_of(i as usize).end).max().unwrap_or(0);
    let mut taken = Taken::with_end(end);
    // (start, rank, index): sorted, a stable sort by start.
    let mut won: Vec<(usize, usize, usize)> = Vec::new();
    for &i in order {
        let span = span_of(i as usize);
        if taken.insert(span) {
            won.push((span.start, won.len(), i as usize));
        }
    }
    won.sort_unstable();
    won.into_iter().map(|(_, _, i)| i).collect()
}

/// `items` in the order a stable sort by `key` gives them, each moved
/// once (annotations are large).
pub fn sorted_by_key<T, K: Ord>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let order = stable_order(&items, key);
    picked(items, order.into_iter().map(|i| i as usize))
}

/// The indices of `items` in the order a stable sort by `key` gives
/// them: the keys are computed once, and sorted with their index (the
/// tie-break that makes a sort stable) as plain values. The sort finds
/// runs already in order (annotations come in a few sorted layers).
pub fn stable_order<'a, T, K: Ord>(items: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<u32> {
    let n = u32::try_from(items.len()).expect("fewer than 2^32");
    let mut keys: Vec<(K, u32)> = items.iter().zip(0..n).map(|(t, i)| (key(t), i)).collect();
    keys.sort();
    keys.into_iter().map(|(_, i)| i).collect()
}

/// The items at `indices` (each at most once), in that order.
fn picked<T>(items: Vec<T>, indices: impl IntoIterator<Item = usize>) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    indices.into_iter().map(|i| slots[i].take().expect("each index once")).collect()
}

/// A set of non-overlapping spans with an overlap test in time of the
/// span's length, for the greedy longest-first policies.
///
/// The taken bytes are bits: a non-empty span overlaps the taken ones
/// exactly when one of its bytes is taken. An empty span has no byte; it
/// is taken when no taken span holds its position, and then a span with
/// the position strictly inside is not (the overlap test of a map of the
/// spans by start, which this replaces).
#[derive(Default)]
pub struct Taken {
    /// Bit `i % 64` of word `i / 64`: byte `i` is in a taken span.
    bits: Vec<u64>,
    /// The positions of the empty spans taken.
    empty: Vec<usize>,
}

impl Taken {
    /// A set with room for spans that end at `end` or before (others
    /// make room as they come).
    pub fn with_end(end: usize) -> Taken {
        Taken { bits: Vec::with_capacity(end.div_ceil(64)), empty: Vec::new() }
    }

    /// Adds `span` unless it overlaps a span already taken; true if added.
    pub fn insert(&mut self, span: Span) -> bool {
        if span.is_empty() {
            let at = span.start;
            if self.bits.get(at / 64).is_some_and(|w| w & (1 << (at % 64)) != 0) {
                return false;
            }
            self.empty.push(at);
            return true;
        }
        if self.any_taken(span) || self.empty.iter().any(|&e| span.start < e && e < span.end) {
            return false;
        }
        self.set_taken(span);
        true
    }

    /// The masks of the words of `bits` that `span` (not empty) covers:
    /// (word, mask) for the first word, the last, and the whole ones
    /// between.
    fn words(span: Span) -> (usize, usize, u64, u64) {
        let (first, last) = (span.start / 64, (span.end - 1) / 64);
        let head = u64::MAX << (span.start % 64);
        let tail = u64::MAX >> (63 - (span.end - 1) % 64);
        (first, last, head, tail)
    }

    fn any_taken(&self, span: Span) -> bool {
        let (first, last, head, tail) = Taken::words(span);
        let word = |i: usize| self.bits.get(i).copied().unwrap_or(0);
        if first == last {
            return word(first) & head & tail != 0;
        }
        word(first) & head != 0 || word(last) & tail != 0 || (first + 1..last).any(|i| word(i) != 0)
    }

    fn set_taken(&mut self, span: Span) {
        let (first, last, head, tail) = Taken::words(span);
        if self.bits.len() <= last {
            self.bits.resize(last + 1, 0);
        }
        if first == last {
            self.bits[first] |= head & tail;
            return;
        }
        self.bits[first] |= head;
        self.bits[last] |= tail;
        self.bits[first + 1..last].fill(u64::MAX);
    }
}

/// Drops every non-boilerplate annotation that overlaps a boilerplate
/// span. `boilerplate` must be sorted by start.
pub fn outside_boilerplate(anns: &mut Vec<Annotation>, boilerplate: &[Span]) {
    anns.retain(|a| kept_by_boilerplate(a, boilerplate));
}

/// Whether `a` survives [`outside_boilerplate`]: it is boilerplate, or
/// overlaps no span of `boilerplate` (sorted by start).
fn kept_by_boilerplate(a: &Annotation, boilerplate: &[Span]) -> bool {
    a.layer == Layer::Boilerplate || {
        let i = boilerplate.partition_point(|b| b.end <= a.span.start);
        boilerplate.get(i).is_none_or(|b| !b.overlaps(a.span))
    }
}

/// Sorts annotations into output order: start, end, layer, label.
pub fn sort(anns: &mut Vec<Annotation>) {
    *anns = sorted_by_key(std::mem::take(anns), Annotation::sort_key);
}

/// The concatenation of `lists` less what [`outside_boilerplate`] drops,
/// in the order [`sort`] gives it, each annotation moved once: every list
/// is sorted on its own (the stages give theirs sorted, mostly, and a
/// sorted list is left as it is), then the lists are merged, a tie going
/// to the earlier list, as in a stable sort of the concatenation.
pub fn in_output_order<const N: usize>(
    lists: [Vec<Annotation>; N],
    boilerplate: &[Span],
) -> Vec<Annotation> {
    let total = lists.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    let mut lists = lists.map(|l| {
        let l = if l.is_sorted_by_key(Annotation::sort_key) {
            l
        } else {
            sorted_by_key(l, Annotation::sort_key)
        };
        l.into_iter()
    });
    let head = |l: &std::vec::IntoIter<Annotation>| l.as_slice().first().map(Annotation::sort_key);
    let mut heads: [_; N] = std::array::from_fn(|k| head(&lists[k]));
    loop {
        // The least head, the first of equal ones.
        let mut best = None;
        for (k, key) in heads.iter().enumerate() {
            if let Some(key) = key {
                if best.is_none_or(|(_, b)| key < b) {
                    best = Some((k, key));
                }
            }
        }
        let Some((k, _)) = best else { break };
        let a = lists[k].next().expect("a head");
        heads[k] = head(&lists[k]);
        if kept_by_boilerplate(&a, boilerplate) {
            out.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Attrs;

    fn ann(s: usize, e: usize, src: &str) -> Annotation {
        Annotation {
            span: Span::new(s, e),
            layer: Layer::Entity,
            label: "ORG",
            source: src.into(),
            attrs: Attrs::None,
        }
    }

    /// `sorted_by_key` gives a stable sort's order: equal keys keep their
    /// input order.
    #[test]
    fn sorted_by_key_is_a_stable_sort() {
        let table: &[&[(u8, char)]] = &[
            &[],
            &[(1, 'a')],
            &[(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (2, 'e'), (0, 'f')],
            &[(5, 'a'), (5, 'b'), (5, 'c')],
            &[(3, 'a'), (2, 'b'), (1, 'c'), (1, 'd'), (2, 'e'), (3, 'f')],
        ];
        for items in table {
            let mut want = items.to_vec();
            want.sort_by_key(|&(k, _)| k);
            assert_eq!(sorted_by_key(items.to_vec(), |a| a.0), want, "{items:?}");
        }
    }

    #[test]
    fn longest_wins_then_earliest() {
        type Case<'a> = (&'a [(usize, usize)], &'a [(usize, usize)]);
        let table: &[Case] = &[
            (&[(0, 2), (0, 19), (3, 19)], &[(0, 19)]),
            (&[(0, 4), (2, 6)], &[(0, 4)]),
            (&[(2, 6), (0, 4)], &[(0, 4)]),
            (&[(0, 3), (3, 6)], &[(0, 3), (3, 6)]),
            (&[(5, 9), (0, 2), (1, 8)], &[(1, 8)]),
        ];
        for (input, want) in table {
            let got: Vec<(usize, usize)> =
                longest_first(input.iter().map(|&(s, e)| ann(s, e, "x")).collect())
                    .iter()
                    .map(|a| (a.span.start, a.span.end))
                    .collect();
            assert_eq!(&got, want, "{input:?}");
        }
    }

    /// `Taken` accepts what the map by start alone (its first version)
    /// accepted, on pseudo-random spans: short and long, across words of
    /// bits, touching, nested, and empty ones (often, once, never).
    #[test]
    fn taken_agrees_with_the_map_by_start() {
        fn old(map: &mut std::collections::BTreeMap<usize, usize>, span: Span) -> bool {
            if let Some((_, &end)) = map.range(..span.end.max(span.start + 1)).next_back() {
                if end > span.start {
                    return false;
                }
            }
            map.insert(span.start, span.end);
            true
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            usize::try_from(x % n).unwrap()
        };
        for round in 0..300 {
            let (mut taken, mut map) = (Taken::default(), std::collections::BTreeMap::new());
            // Empty spans: whenever drawn, one (the 41st), or none.
            let empty_ok = |k: usize| [true, k == 40, false][round % 3];
            for k in 0..200 {
                let start = next(if round % 2 == 0 { 300 } else { 3000 });
                let len = match k % 4 {
                    0 => next(4),
                    1 => next(70),
                    2 => next(200),
                    _ => 1 + next(8),
                };
                let len = if k == 40 && round % 3 == 1 || len == 0 && empty_ok(k) {
                    0
                } else {
                    len.max(1)
                };
                let span = Span::new(start, start + len);
                assert_eq!(taken.insert(span), old(&mut map, span), "round {round}, {span:?}");
            }
        }
    }

    /// The merge gives what the concatenation, filtered and sorted, gives:
    /// sorted and unsorted lists, empty ones, equal keys in one list and
    /// across lists (told apart by source), annotations in boilerplate.
    #[test]
    fn merge_matches_concatenation_sorted() {
        let bp = |s: usize, e: usize, src: &str| Annotation {
            layer: Layer::Boilerplate,
            label: "NAV",
            ..ann(s, e, src)
        };
        let date = |s: usize, e: usize, src: &str| Annotation {
            layer: Layer::Date,
            label: "DATE",
            ..ann(s, e, src)
        };
        let person =
            |s: usize, e: usize, src: &str| Annotation { label: "PERSON", ..ann(s, e, src) };
        let cases: Vec<[Vec<Annotation>; 4]> = vec![
            [vec![], vec![], vec![], vec![]],
            [vec![bp(0, 5, "b")], vec![ann(2, 4, "in")], vec![], vec![]],
            [
                vec![bp(10, 20, "b1"), bp(40, 45, "b2")],
                vec![ann(30, 35, "e3"), ann(0, 3, "e1"), person(0, 3, "p"), ann(0, 3, "e2")],
                vec![date(0, 3, "d"), date(44, 50, "d2"), date(50, 50, "d3")],
                vec![ann(0, 3, "x1"), ann(30, 35, "x2"), ann(19, 21, "x3"), ann(60, 61, "x4")],
            ],
            [
                vec![],
                vec![ann(5, 9, "a"), ann(5, 9, "b"), ann(5, 7, "c")],
                vec![ann(5, 9, "d"), ann(1, 2, "e")],
                vec![ann(5, 9, "f")],
            ],
        ];
        for lists in cases {
            let spans: Vec<Span> = lists[0].iter().map(|a| a.span).collect();
            let mut want: Vec<Annotation> = lists.iter().flatten().cloned().collect();
            outside_boilerplate(&mut want, &spans);
            sort(&mut want);
            let got = in_output_order(lists, &spans);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn boilerplate_excludes_other_layers() {
        let mut v = vec![ann(0, 3, "a"), ann(10, 12, "b"), ann(20, 25, "c")];
        outside_boilerplate(&mut v, &[Span::new(2, 5), Span::new(24, 30)]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].span, Span::new(10, 12));
    }
}
