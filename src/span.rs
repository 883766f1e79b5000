//! The one span type and the one annotation type every stage produces.
//!
//! Inside the library every offset is a **byte** offset into the document's
//! UTF-8 text, half-open (`start..end`), always on a `char` boundary. Only
//! the writer ([`crate::output`]) converts to the code-point offsets of the
//! output contract, once per document, in one pass. Keeping one unit inside
//! means no stage can mix the two.

use crate::timex::Ymd;
use std::fmt;
use std::sync::Arc;

/// A half-open byte range into a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// True when `other` lies inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The text of the span.
    pub fn of<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// The four annotation layers of the scheme, ordered as the output sorts
/// them when two annotations share start and end (alphabetical, so users
/// can predict it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// Site furniture: share bars, comment forms, navigation, legal notices.
    Boilerplate,
    /// TIMEX3 expressions.
    Date,
    /// Named entities.
    Entity,
    /// Typed events with arguments.
    Event,
}

impl Layer {
    /// The name used in the output contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Boilerplate => "boilerplate",
            Layer::Date => "date",
            Layer::Entity => "entity",
            Layer::Event => "event",
        }
    }
    /// Parses a layer name of the output contract.
    pub fn parse(s: &str) -> Option<Layer> {
        Some(match s {
            "boilerplate" => Layer::Boilerplate,
            "date" => Layer::Date,
            "entity" => Layer::Entity,
            "event" => Layer::Event,
            _ => return None,
        })
    }
    /// The `&'static` form of `label` if the layer allows it.
    pub fn label(self, label: &str) -> Option<&'static str> {
        let fixed: &[&'static str] = match self {
            Layer::Boilerplate => &["SHARE", "COMMENTS", "NAV", "SITE", "LEGAL"],
            Layer::Date => &["DATE", "TIME", "DURATION", "SET"],
            Layer::Entity => &["PERSON", "ORG", "GPE", "LOC", "NORP"],
            Layer::Event => {
                return crate::recognize::event::TAXONOMY
                    .iter()
                    .map(|(l, _)| *l)
                    .find(|l| *l == label)
            }
        };
        fixed.iter().copied().find(|l| *l == label)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar interval, end exclusive. The days are kept as dates, not
/// as their ISO text: the writer writes them (`YYYY-MM-DD`), so a date
/// annotation costs no allocation for them, and a smaller annotation is
/// less to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// First day (inclusive).
    pub start: Ymd,
    /// Day after the last day (exclusive).
    pub end: Ymd,
}

/// Event argument roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Who acts.
    Actor,
    /// Who is acted upon or toward.
    Target,
    /// A side whose direction is not stated.
    Participant,
    /// When.
    Time,
}

impl Role {
    /// The name used in the output contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Actor => "actor",
            Role::Target => "target",
            Role::Participant => "participant",
            Role::Time => "time",
        }
    }
    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "actor" => Role::Actor,
            "target" => Role::Target,
            "participant" => Role::Participant,
            "time" => Role::Time,
            _ => return None,
        })
    }
}

/// An event argument: a role and the span of the entity or date annotation
/// it points at. Spans are unique within the entity and date layers (both
/// are flat), so `(layer, span)` identifies the annotation; the writer turns
/// it into a `T` id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The role.
    pub role: Role,
    /// Layer of the referenced annotation (entity or date).
    pub layer: Layer,
    /// Span of the referenced annotation.
    pub span: Span,
}

/// Layer-specific fields of an annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attrs {
    /// Boilerplate has no extra fields.
    None,
    /// Entity link.
    Entity {
        /// Id in the gazetteer's source (ISO code, GeoNames id, project id).
        kb_id: Option<Arc<str>>,
        /// Preferred name.
        canonical: Option<Arc<str>>,
    },
    /// TIMEX3 normalization.
    Date {
        /// TIMEX3 value.
        value: String,
        /// TIMEX3 mod.
        modifier: Option<&'static str>,
        /// Calendar interval of the unmodified period.
        interval: Option<Interval>,
    },
    /// Event frame.
    Event {
        /// CAMEO code, if one fits.
        cameo: Option<&'static str>,
        /// Arguments.
        args: Vec<Arg>,
        /// `NEG` for negated mentions.
        polarity: Option<&'static str>,
        /// `HYPOTHETICAL` for threatened, possible or planned events.
        modality: Option<&'static str>,
    },
}

/// One annotation: a span in one layer with a label, the rule that made it,
/// and the layer's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Byte span into the document text.
    pub span: Span,
    /// Layer.
    pub layer: Layer,
    /// Label, one of [`Layer::labels`].
    pub label: &'static str,
    /// Which gazetteer or rule made it (`gazetteer:countries`, `date:decade`).
    /// Shared with the resource that names it: an annotation costs no
    /// allocation for it.
    pub source: Arc<str>,
    /// Layer fields.
    pub attrs: Attrs,
}

impl Annotation {
    /// The output order: start, end, layer, then label (a final tie-break so
    /// the order never depends on how the annotation was produced).
    pub fn sort_key(&self) -> (usize, usize, Layer, &'static str) {
        (self.span.start, self.span.end, self.layer, self.label)
    }
}
