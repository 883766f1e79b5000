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
pub fn longest_first(mut cands: Vec<Annotation>) -> Vec<Annotation> {
    cands.sort_by(|a, b| {
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
    out.sort_by_key(|a| a.span.start);
    out
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
pub fn sort(anns: &mut [Annotation]) {
    anns.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
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
