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

use std::cmp::Ordering;

use crate::span::{Annotation, Layer, Span};

/// Keeps the longest non-overlapping annotations, sorted by start.
pub fn longest_first(cands: Vec<Annotation>) -> Vec<Annotation> {
    let cands = sorted_by(cands, |a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(a.span.start.cmp(&b.span.start))
            .then(a.source.cmp(&b.source))
            .then(a.label.cmp(b.label))
    });
    let mut taken = Taken::default();
    let mut out = Vec::new();
    for c in cands {
        if taken.insert(c.span) {
            out.push(c);
        }
    }
    sorted_by(out, |a, b| a.span.start.cmp(&b.span.start))
}

/// `items` in the order a stable sort by `cmp` gives them. Annotations are
/// large: this sorts their indices (ties broken by index, which is what
/// makes a sort stable) and moves each item once.
pub fn sorted_by<T>(items: Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let mut order: Vec<u32> = (0..u32::try_from(items.len()).expect("fewer than 2^32")).collect();
    order.sort_unstable_by(|&i, &j| cmp(&items[i as usize], &items[j as usize]).then(i.cmp(&j)));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().map(|&i| slots[i as usize].take().expect("each index once")).collect()
}

/// A set of non-overlapping spans with an O(log n) overlap test, for the
/// greedy longest-first policies.
#[derive(Default)]
pub struct Taken(std::collections::BTreeMap<usize, usize>);

impl Taken {
    /// Adds `span` unless it overlaps a span already taken; true if added.
    pub fn insert(&mut self, span: Span) -> bool {
        // The taken span starting last before `span` ends is the only one
        // that can overlap it (taken spans do not overlap each other).
        if let Some((_, &end)) = self.0.range(..span.end.max(span.start + 1)).next_back() {
            if end > span.start {
                return false;
            }
        }
        self.0.insert(span.start, span.end);
        true
    }
}

/// Drops every non-boilerplate annotation that overlaps a boilerplate
/// span. `boilerplate` must be sorted by start.
pub fn outside_boilerplate(anns: &mut Vec<Annotation>, boilerplate: &[Span]) {
    anns.retain(|a| {
        a.layer == Layer::Boilerplate || {
            let i = boilerplate.partition_point(|b| b.end <= a.span.start);
            boilerplate.get(i).is_none_or(|b| !b.overlaps(a.span))
        }
    });
}

/// Sorts annotations into output order: start, end, layer, label.
pub fn sort(anns: &mut Vec<Annotation>) {
    *anns = sorted_by(std::mem::take(anns), |a, b| a.sort_key().cmp(&b.sort_key()));
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

    /// `sorted_by` gives a stable sort's order: equal keys keep their
    /// input order.
    #[test]
    fn sorted_by_is_a_stable_sort() {
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
            assert_eq!(sorted_by(items.to_vec(), |a, b| a.0.cmp(&b.0)), want, "{items:?}");
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

    #[test]
    fn boilerplate_excludes_other_layers() {
        let mut v = vec![ann(0, 3, "a"), ann(10, 12, "b"), ann(20, 25, "c")];
        outside_boilerplate(&mut v, &[Span::new(2, 5), Span::new(24, 30)]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].span, Span::new(10, 12));
    }
}
