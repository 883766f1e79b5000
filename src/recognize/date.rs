//! Date recognition and TIMEX3 normalization.
//!
//! Rules are patterns with *named* placeholders (`{month}`, `{year}`, …,
//! HeidelTime's `%reMonth` without its numbered groups) and one
//! normalization kind each; every rule carries examples (text → value) that
//! the tests run. All rules are compiled once into one alternation, which
//! finds candidate positions where it matches at a word start; at a
//! candidate position each rule's extent comes from one walk of a lazy DFA
//! of every rule's start-anchored pattern (a rule's own regex runs only
//! where its matches end in several places, or on text with non-ASCII word
//! characters), and the longest extent that passes the rule's context guards
//! and normalizes wins (so "the past two months" beats "the past"). A match
//! may run past a sentence split on the same line ("5 p.m. EST Nov. 9").
//!
//! Values follow TimeBank/TempEval-3 where the project's guidelines are
//! silent. Deictic expressions ("yesterday", "last year", "this week")
//! resolve against the document creation time (DCT); a month, day, quarter
//! or holiday without a year takes the occurrence nearest the DCT, looking
//! back unless the sentence speaks of the future ("will", "scheduled").
//! Anaphoric expressions ("two years later", "the following year", "that
//! month", "the year-earlier quarter") resolve against the last date the
//! text set, and keep its granularity ("a year earlier" after "the third
//! quarter" is a quarter); what cannot be resolved stays underspecified
//! (`XXXX`, `PAST_REF`). Context guards keep numbers, quantities, money,
//! ages, fractions, identifiers, names ("Jan Kavan", "Prague Spring",
//! "the Six-Day War") and "may"/"March" the verbs out.

use crate::recognize::gazetteer::FnvMap;
use crate::regexes::{has_non_ascii_word, without_word_boundaries, Gated, LazyRegex};
use crate::segment;
use crate::span::{Annotation, Attrs, Layer, Span};
use crate::timex::{self, Ymd};
use regex::{Captures, Regex};
use regex_automata::hybrid;
use regex_automata::nfa::thompson::{
    self,
    backtrack::{self, BoundedBacktracker},
    pikevm::{self, PikeVM},
};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::{NonMaxUsize, StateID};
use regex_automata::util::start;
use regex_automata::{Anchored, Input};
use regex_automata::{PatternID, PatternSet};

/// Placeholders usable in rule patterns.
const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "month",
        r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Jan\b|Feb\.|Feb\b|Mar\.|Apr\.|Apr\b|Jun\.|Jul\.|Aug\.|Aug\b|Sept\.|Sept\b|Sep\.|Oct\.|Oct\b|Nov\.|Nov\b|Dec\.|Dec\b)",
    ),
    (
        "month2",
        r"(?P<month2>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)",
    ),
    ("day", r"(?P<day>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b"),
    ("day2", r"(?P<day2>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?\b"),
    ("year", r"(?P<year>1[0-9]{3}|20[0-9]{2}|{spelledyear})"),
    ("year2", r"(?P<year2>1[0-9]{3}|20[0-9]{2}|[0-9]{2})"),
    (
        "spelledyear",
        r"[Nn]ineteen[- ](?:hundred[- ](?:and[- ])?)?(?:(?:{tens})(?:[- ](?:{ones}))?|{teens}|oh[- ](?:{ones}))\b",
    ),
    ("tens", "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"),
    ("ones", "one|two|three|four|five|six|seven|eight|nine"),
    ("teens", "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"),
    ("weekday", r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"),
    ("the", r"(?:[Tt]he )"),
    (
        "qual",
        r"(?P<qual>[Ee]arly|[Mm]id|[Ll]ate|[Tt]he (?:start|beginning|middle|end|close) of|[Tt]he (?:early|mid|late) ?-? ?part of)",
    ),
    (
        "pre",
        r"(?P<pre>[Ee]arly|[Ee]arlier|[Ll]ate|[Ll]ater|[Ss]ometime|[Mm]id|[Tt]he (?:start|beginning|middle|end|close) of)",
    ),
    ("season", r"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)"),
    (
        "num",
        r"(?P<num>\d+(?:\.\d+)?(?: 1/2)?|(?:[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven|[Tt]welve|[Tt]hirteen|[Ff]ourteen|[Ff]ifteen|[Ss]ixteen|[Ss]eventeen|[Ee]ighteen|[Nn]ineteen|[Aa] hundred|[Aa]n?|[Aa] few|[Ff]ew|[Ss]everal|[Mm]any|[Aa] couple of|[Cc]ouple of|[Ss]ome|[Hh]alf an?|[Aa] half)",
    ),
    (
        "unit",
        r"(?P<unit>[Cc]entur(?:y|ies)|[Dd]ecades?|[Yy]ears?|quarters?|[Mm]onths?|[Ww]eeks?|[Dd]ays?|[Hh]ours?|[Mm]inutes?|seconds?)",
    ),
    (
        "dmod",
        r"(?P<dmod>(?:[Aa] little |[Jj]ust |[Ww]ell )?(?:[Mm]ore than|[Ll]ess than|[Oo]ver|[Uu]nder)|[Aa]t least|[Nn]o more than|[Aa]t most|[Nn]early|[Aa]lmost|[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately|[Uu]p to|[Ss]ome)",
    ),
    (
        "ordinal",
        r"(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|1st|2nd|3rd|[4-9]th|1[0-9]th|20th|21st)",
    ),
    (
        "rel",
        r"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Pp]revious|[Tt]his past|[Tt]his coming|[Cc]urrent)",
    ),
    (
        "anaph",
        r"(?P<anaph>[Tt]he following|[Tt]he next|[Tt]he previous|[Tt]he preceding|[Tt]he same|[Tt]hat same|[Tt]hat)",
    ),
    ("pod", r"(?P<pod>morning|afternoon|evening|night)"),
    ("ampm", r"(?P<ampm>a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b|AM\b|PM\b)"),
    ("tz", r"(?P<tz>[ECMP][SD]?T|GMT|UTC|BST|CES?T|IST|JST|local time)"),
];

/// How a rule's match becomes a TIMEX3 type and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Norm {
    /// `{month} {day}, {year}` and friends; year from the anchor if absent.
    FullDate,
    /// `{month} {day}-{day2}, {year}`.
    DayRange,
    /// `{month}-{month2} {year}`.
    MonthRange,
    /// `{month} {year}`, optionally qualified.
    MonthYear,
    /// `last November`, `June last year`.
    MonthRel,
    /// `{year}-{year2}`.
    YearRange,
    /// `the 1970s`, `the mid-1970s`, `the '80s`, `the eighties`.
    Decade,
    /// `the 20th century`.
    Century,
    /// `spring 1968`.
    Season,
    /// `the first quarter of 2019`, `Q1 2019`, `third-quarter`.
    Quarter,
    /// `the quarter`, `the latest quarter`, `the year-earlier period`.
    QuarterAnaphoric,
    /// `the first half of 1990`, `the second half`.
    Half,
    /// `early 1991`, `the end of 1991`.
    QualYear,
    /// `fiscal 1990`.
    Fiscal,
    /// A bare year, with guards against numbers.
    Year,
    /// `the year`, `earlier in the year`.
    TheYear,
    /// `Thanksgiving`, `Christmas Day`, `Election Day`.
    Holiday,
    /// `today`, `yesterday`, `tomorrow`, `tonight`.
    Deictic,
    /// `now`, `currently`, `recently`, …: REF values.
    Reference,
    /// `last year`, `this month`, `next week`.
    RelativeUnit,
    /// `last Friday`, `on Tuesday`, `Tuesday`.
    Weekday,
    /// `Tuesday morning`, `this morning`.
    PartOfDay,
    /// `two years later`, `three years ago`.
    Offset,
    /// `the following year`, `that month`.
    Anaphoric,
    /// `10:30 a.m.`, `noon`, `5 p.m. EST Nov. 9`.
    Time,
    /// `three years`, `more than a decade`, `the following decades`.
    Duration,
    /// `decades`, `years` (bare plural after a preposition).
    VagueDuration,
    /// `every year`, `annually`.
    Set,
}

/// A date rule as written in the table.
struct RuleDef {
    id: &'static str,
    pattern: &'static str,
    norm: Norm,
    /// Examples: (text containing the expression, expected span text,
    /// expected value), resolved with DCT 1998-08-07 (a Friday).
    examples: &'static [(&'static str, &'static str, &'static str)],
}

/// The rule table. At a candidate position the longest match wins; on
/// equal length the earlier rule.
const RULES: &[RuleDef] = &[
    RuleDef {
        id: "date:day-range",
        pattern: r"{month} {day}\s?[-–]\s?(?:{month2} )?{day2}(?:,? {year})?",
        norm: Norm::DayRange,
        examples: &[
            ("on August 20–21, 1968 troops", "August 20–21, 1968", "1968-08-20/1968-08-21"),
            (
                "(January 17 – February 28, 1991)",
                "January 17 – February 28, 1991",
                "1991-01-17/1991-02-28",
            ),
            ("liberated on February 26–27, and", "February 26–27", "1998-02-26/1998-02-27"),
        ],
    },
    RuleDef {
        id: "date:day-range-dmy",
        pattern: r"{day}\s?[-–]\s?{day2} {month},? {year}\b",
        norm: Norm::DayRange,
        examples: &[("War (3–16 December 1971):", "3–16 December 1971", "1971-12-03/1971-12-16")],
    },
    RuleDef {
        id: "date:month-year-range",
        pattern: r"{month} {year}\s?[-–]\s?{month2} (?P<year2>1[0-9]{3}|20[0-9]{2})\b",
        norm: Norm::MonthRange,
        examples: &[(
            "(November 1956 – March 1957):",
            "November 1956 – March 1957",
            "1956-11/1957-03",
        )],
    },
    RuleDef {
        id: "date:full-mdy",
        pattern: r"(?:{weekday},? )?{month} {day}(?:,? {year}\b)?",
        norm: Norm::FullDate,
        examples: &[
            ("on August 2, 1990, Iraq", "August 2, 1990", "1990-08-02"),
            ("on Tuesday, Aug. 4, 1998 in", "Tuesday, Aug. 4, 1998", "1998-08-04"),
            ("MOSCOW, March 3 (Reuters)", "March 3", "1998-03-03"),
            ("the offer expires Nov. 2", "Nov. 2", "1998-11-02"),
            ("on Nov. 25 the", "Nov. 25", "1998-11-25"),
            ("on Feb. 25 the", "Feb. 25", "1998-02-25"),
        ],
    },
    RuleDef {
        id: "date:full-dmy",
        pattern: r"(?:{weekday},? )?(?:{the})?{day} (?:of )?{month},? {year}\b",
        norm: Norm::FullDate,
        examples: &[
            ("on 2 August 1990 Iraq", "2 August 1990", "1990-08-02"),
            ("the 14th of June, 1982", "the 14th of June, 1982", "1982-06-14"),
        ],
    },
    RuleDef {
        id: "date:dm",
        pattern: r"(?:{weekday},? )?{day} {month}\b",
        norm: Norm::FullDate,
        examples: &[("from 20 August the", "20 August", "1998-08-20")],
    },
    RuleDef {
        id: "date:month-range",
        pattern: r"{month}\s?[-–]\s?{month2},? {year}",
        norm: Norm::MonthRange,
        examples: &[("from March–June 1999 NATO", "March–June 1999", "1999-03/1999-06")],
    },
    RuleDef {
        id: "date:month-year",
        pattern: r"(?:(?:{qual})[- ]?)?{month},? (?:of )?{year}\b",
        norm: Norm::MonthYear,
        examples: &[
            ("in August 1990 Iraq", "August 1990", "1990-08"),
            ("by late March 2003", "late March 2003", "2003-03"),
            ("in January nineteen ninety-seven", "January nineteen ninety-seven", "1997-01"),
        ],
    },
    RuleDef {
        id: "date:month-relative",
        pattern: r"(?:(?:{qual})[- ]?)?(?:(?P<mrel>[Ll]ast|[Tt]his|[Nn]ext|[Tt]his past|[Tt]his coming|[Tt]hat) {month}\b|{month2} (?P<mrel2>last|this|next) year\b)",
        norm: Norm::MonthRel,
        examples: &[
            ("since last November the", "last November", "1997-11"),
            ("last May", "last May", "1998-05"),
            ("in July last year", "July last year", "1997-07"),
            ("in January this year", "January this year", "1998-01"),
            ("this September", "this September", "1998-09"),
            ("In 1968 Brezhnev said that November", "that November", "1968-11"),
        ],
    },
    RuleDef {
        id: "date:month-alone",
        pattern: r"(?:{qual}[- ]?)?{month}\b",
        norm: Norm::MonthYear,
        examples: &[
            ("in May the talks", "May", "1998-05"),
            ("by late March the", "late March", "1998-03"),
            ("in January, sales", "January", "1998-01"),
            ("in December the", "December", "1998-12"),
        ],
    },
    RuleDef {
        id: "date:year-range",
        pattern: r"{year}\s?[-–/]\s?{year2}\b",
        norm: Norm::YearRange,
        examples: &[
            ("in 1987-88 the", "1987-88", "1987/1988"),
            ("(1990-1991):", "1990-1991", "1990/1991"),
            ("1999–2000", "1999–2000", "1999/2000"),
        ],
    },
    RuleDef {
        id: "date:decade",
        pattern: r"(?:{the})?(?:{qual}[- ]?)?(?:(?P<decade>1[0-9]{2}0|20[0-9]0)'?s|['’](?P<decade2>[0-9]0)s|(?P<decadeword>[Tt]wenties|[Tt]hirties|[Ff]orties|[Ff]ifties|[Ss]ixties|[Ss]eventies|[Ee]ighties|[Nn]ineties)\b)",
        norm: Norm::Decade,
        examples: &[
            ("in the 1970s.", "the 1970s", "197"),
            ("in the mid-1970s as", "the mid-1970s", "197"),
            ("the early 1990s:", "the early 1990s", "199"),
            ("in the '80s", "the '80s", "198"),
            ("By the late ’80s the", "the late ’80s", "198"),
            ("the late sixties", "the late sixties", "196"),
        ],
    },
    RuleDef {
        id: "date:century",
        pattern: r"(?:{the})?(?:{qual}[- ]?)?{ordinal}[- ]century\b",
        norm: Norm::Century,
        examples: &[
            ("in the 20th century", "the 20th century", "19"),
            ("the early twenty-first century", "the early twenty-first century", "20"),
        ],
    },
    RuleDef {
        id: "date:season",
        pattern: r"(?:{the})?(?:(?P<squal>[Ee]arly|[Ll]ate) )?{season},? (?:of )?{year}\b",
        norm: Norm::Season,
        examples: &[
            ("in spring 1968 the", "spring 1968", "1968-SP"),
            ("the summer of 1990 ", "the summer of 1990", "1990-SU"),
        ],
    },
    RuleDef {
        id: "date:quarter",
        pattern: r"(?:(?P<qthe>{the})?(?:(?P<qrel>[Tt]his|[Nn]ext|[Ll]ast) year's )?(?:(?P<qyear>1[0-9]{3}|20[0-9]{2}) |(?P<qprev>year-earlier|year-ago|prior-year) )?(?:[Ff]iscal[- ])?(?P<qn>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)[- ]quarter(?:,? (?:of )?{year})?|Q(?P<qd>[1-4]),? (?P<qdy>1[0-9]{3}|20[0-9]{2}))\b",
        norm: Norm::Quarter,
        examples: &[
            ("in the first quarter of 2019", "the first quarter of 2019", "2019-Q1"),
            ("third-quarter profit rose", "third-quarter", "1998-Q3"),
            ("in the fiscal first quarter", "the fiscal first quarter", "1998-Q1"),
            ("this year's third quarter", "this year's third quarter", "1998-Q3"),
            ("in the year-earlier third quarter", "the year-earlier third quarter", "1997-Q3"),
            ("the 1988 second quarter", "the 1988 second quarter", "1988-Q2"),
        ],
    },
    RuleDef {
        id: "date:quarter-anaphoric",
        pattern: r"(?:{the}|[Tt]hat )(?:(?P<qa>latest|current|same|comparable|corresponding|year-earlier|year-ago|prior-year|previous|preceding|past|last|most recent|recent)[- ]|(?P<qy>1[0-9]{3}|20[0-9]{2}) )?(?:fiscal )?(?P<qu>quarter|period)(?P<qago> a year (?:ago|earlier)| last year)?\b|(?P<qthis>[Tt]his) quarter\b|(?P<qye>[Yy]ear-(?:earlier|ago))(?: (?P<qu2>quarter|period))?\b",
        norm: Norm::QuarterAnaphoric,
        examples: &[
            ("In the third quarter, profit rose; in the quarter", "the quarter", "1998-Q3"),
            ("sales in the latest quarter", "the latest quarter", "1998-Q2"),
            ("the third quarter; the year-earlier quarter", "the year-earlier quarter", "1997-Q3"),
            ("the quarter a year ago", "the quarter a year ago", "1997-Q2"),
            ("the current quarter", "the current quarter", "1998-Q3"),
            ("the corresponding period last year", "the corresponding period last year", "1997-Q2"),
        ],
    },
    RuleDef {
        id: "date:half",
        pattern: r"(?:{the})?(?P<hn>[Ff]irst|[Ss]econd|[Ll]ast|[Ll]atter)[- ]half(?: of (?:{year}|(?P<hthe>the year)))?\b",
        norm: Norm::Half,
        examples: &[
            ("in the second half of 1990", "the second half of 1990", "1990-H2"),
            ("first-half profit rose", "first-half", "1998-H1"),
            ("in the first half of the year", "the first half of the year", "1998-H1"),
            ("the last half of 1989", "the last half of 1989", "1989-H2"),
        ],
    },
    RuleDef {
        id: "date:qualified-year",
        pattern: r"{qual}[- ]?{year}\b",
        norm: Norm::QualYear,
        examples: &[
            ("in late 1991 the", "late 1991", "1991"),
            ("by the end of 1991", "the end of 1991", "1991"),
            ("in mid-1982", "mid-1982", "1982"),
        ],
    },
    RuleDef {
        id: "date:fiscal",
        pattern: r"(?:[Ff]iscal(?: year)? |FY ?){year}\b|(?P<fthe>[Tt]he (?:current|latest|previous|next|coming) fiscal year)\b",
        norm: Norm::Fiscal,
        examples: &[
            ("in fiscal 1990", "fiscal 1990", "1990"),
            ("in the current fiscal year", "the current fiscal year", "1998"),
        ],
    },
    RuleDef {
        id: "date:time",
        pattern: r"(?:(?P<tapprox>[Aa]bout|[Aa]round|[Aa]pproximately) )?(?:(?P<hour>1[0-2]|0?[1-9])(?::(?P<minute>[0-5][0-9]))? ?{ampm}|(?P<hour24>[01][0-9]|2[0-3]):(?P<minute24>[0-5][0-9]) (?:GMT|UTC|[ECMP][SD]T)|(?P<noon>noon|midnight|midday))(?:,? {tz})?(?:,? (?:{weekday}|{month} {day}\b|(?P<tday>today|yesterday|tomorrow)))?",
        norm: Norm::Time,
        examples: &[
            ("at 10:30 a.m. EST", "10:30 a.m. EST", "1998-08-07T10:30"),
            ("at 9 p.m. the", "9 p.m.", "1998-08-07T21:00"),
            ("at noon", "noon", "1998-08-07T12:00"),
            ("until 5 p.m. EST Nov. 9.", "5 p.m. EST Nov. 9", "1998-11-09T17:00"),
            ("at midnight Friday", "midnight Friday", "1998-08-07T24:00"),
            ("until 9 a.m. Tuesday", "9 a.m. Tuesday", "1998-08-04T09:00"),
            ("At 10 a.m. on July 27, 1953, the", "10 a.m.", "1953-07-27T10:00"),
            ("At about 11:30 p.m. the guards", "about 11:30 p.m.", "1998-08-07T23:30"),
        ],
    },
    RuleDef {
        id: "date:part-of-day",
        pattern: r"(?:(?P<ppre>[Ee]arly|[Ll]ate|[Ll]ater|[Ee]arlier) )?(?:(?:{weekday}|[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]his|[Ll]ast) {pod}|[Tt]onight)",
        norm: Norm::PartOfDay,
        examples: &[
            ("on Tuesday morning the", "Tuesday morning", "1998-08-04TMO"),
            ("said this morning", "this morning", "1998-08-07TMO"),
            ("tonight", "tonight", "1998-08-07TNI"),
            ("later this afternoon", "later this afternoon", "1998-08-07TAF"),
        ],
    },
    RuleDef {
        id: "date:part-of-day-anaphoric",
        pattern: r"{anaph} {pod}\b",
        norm: Norm::PartOfDay,
        examples: &[
            (
                "On August 2, 1990 Iraq invaded; the next morning",
                "the next morning",
                "1990-08-03TMO",
            ),
            ("On August 2, 1990 Iraq invaded. That evening", "That evening", "1990-08-02TEV"),
        ],
    },
    RuleDef {
        id: "date:offset",
        pattern: r"(?:{dmod} )?{num}[- ]{unit} (?P<dir>later|earlier|ago)\b",
        norm: Norm::Offset,
        examples: &[
            ("two years later, Iraq", "two years later", "2000"),
            ("three years ago", "three years ago", "1995"),
            ("a week earlier", "a week earlier", "1998-W31"),
            ("In the third quarter, profit rose from a year earlier", "a year earlier", "1997-Q3"),
            ("On Aug. 12, 1989 it fell from a year earlier", "a year earlier", "1988-08-12"),
        ],
    },
    RuleDef {
        id: "date:anaphoric",
        pattern: r"(?:{pre} )?(?:{anaph} (?P<aunit>year|month|week|weekend|day|decade|spring|summer|autumn|fall|winter)\b|(?P<athe>[Tt]he) (?:(?P<aqual>early|late) )?(?P<aunit2>week|weekend|decade|summer|winter|spring|autumn)\b)",
        norm: Norm::Anaphoric,
        examples: &[
            ("In 1990, Iraq invaded. The following year", "The following year", "1991"),
            ("that month", "that month", "1998-08"),
            ("On Aug. 2, 1990 it began. Earlier that day", "Earlier that day", "1990-08-02"),
            ("over the weekend", "the weekend", "1998-W32-WE"),
        ],
    },
    RuleDef {
        id: "date:the-year",
        pattern: r"(?:(?P<ypre>[Ee]arl(?:y|ier)|[Ll]ater?) (?:in )?)?(?:[Tt]he (?:end|start|beginning|middle|rest) of )?(?:[Tt]he (?:full |entire |whole |fiscal )?year(?P<yend> end(?:ed|ing))?|(?:[Tt]he )?(?P<yearend>year[- ]end|year's end))\b",
        norm: Norm::TheYear,
        examples: &[
            ("For the year, volume was flat", "the year", "1998"),
            ("for the year ended Sept. 30", "the year", "P1Y"),
            ("earlier in the year", "earlier in the year", "1998"),
            ("to close by year-end.", "year-end", "1998"),
        ],
    },
    RuleDef {
        id: "date:relative-unit",
        pattern: r"(?:{pre} )?(?:(?P<rthe>[Tt]he) )?{rel} (?P<runit>year|month|week|weekend|decade|century|spring|summer|autumn|fall|winter|quarter)\b",
        norm: Norm::RelativeUnit,
        examples: &[
            ("last year the", "last year", "1997"),
            ("this month", "this month", "1998-08"),
            ("next week", "next week", "1998-W33"),
            ("earlier this year", "earlier this year", "1998"),
            ("in the past year", "the past year", "1997"),
            ("Late last week", "Late last week", "1998-W31"),
        ],
    },
    RuleDef {
        id: "date:weekday",
        pattern: r"(?:(?P<wpre>[Ee]arly) )?(?:(?P<wrel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Tt]his past|[Tt]his coming|[Tt]he previous|[Tt]he following) )?{weekday}\b",
        norm: Norm::Weekday,
        examples: &[
            ("said on Tuesday that", "Tuesday", "1998-08-04"),
            ("on Friday", "Friday", "1998-08-07"),
            ("next Monday", "next Monday", "1998-08-10"),
            ("early Tuesday", "early Tuesday", "1998-08-04"),
        ],
    },
    RuleDef {
        id: "date:deictic",
        pattern: r"(?:(?P<dpre>[Ee]arly|[Ll]ate|[Ll]ater|[Ee]arlier) )?(?:[Tt]oday|[Yy]esterday|[Tt]omorrow)|[Tt]he day (?:before yesterday|after tomorrow)",
        norm: Norm::Deictic,
        examples: &[
            ("said yesterday", "yesterday", "1998-08-06"),
            ("today", "today", "1998-08-07"),
            ("late yesterday", "late yesterday", "1998-08-06"),
        ],
    },
    RuleDef {
        id: "date:holiday",
        pattern: r"(?:(?P<hrel>[Ll]ast|[Nn]ext|[Tt]his) )?(?P<hol>Thanksgiving(?: Day)?|Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Election Day|Independence Day|Labor Day|Memorial Day|Veterans Day|Halloween|Valentine's Day|Easter(?: Sunday)?|Good Friday)(?:,? {year})?\b",
        norm: Norm::Holiday,
        examples: &[
            ("on Thanksgiving Day", "Thanksgiving Day", "1998-11-26"),
            ("on Christmas Day 1990", "Christmas Day 1990", "1990-12-25"),
            ("Easter 2000", "Easter 2000", "2000-04-23"),
            ("until Election Day", "Election Day", "1998-11-03"),
        ],
    },
    RuleDef {
        id: "date:reference",
        pattern: r"(?:[Rr]ight )?[Nn]ow|[Cc]urrently|[Aa]t present|[Nn]owadays|(?:[Mm]ore |[Mm]ost |[Uu]ntil |[Vv]ery )?[Rr]ecently|[Rr]ecent (?P<recunit>days|weeks|months|quarters|years)|(?:[Tt]he )?[Cc]oming (?P<comunit>days|weeks|months|quarters|years)|[Tt]he (?P<ahunit>days|weeks|months|years) ahead|[Tt]he past|[Ff]ormerly|[Tt]he (?:near |distant )?future|[Tt]hese days|[Tt]he (?:near|short|long) term",
        norm: Norm::Reference,
        examples: &[
            ("is now at war", "now", "PRESENT_REF"),
            ("recently", "recently", "PAST_REF"),
            ("in the future", "the future", "FUTURE_REF"),
            ("in recent months", "recent months", "PXM"),
            ("in the near term", "the near term", "FUTURE_REF"),
            ("in coming months", "coming months", "FUTURE_REF"),
            ("in the weeks ahead", "the weeks ahead", "PXW"),
        ],
    },
    RuleDef {
        id: "date:duration",
        pattern: r"(?:{dmod} )?(?:(?P<dthe>[Tt]he (?:past|last|next|previous|following|first|final|coming|ensuing|preceding|latest|year-earlier|year-ago|initial|remaining|same|full|entire)(?: (?:several|few))?|[Tt]he|[Aa]nother|[Aa]n additional) )?{num}(?P<andhalf> and a half)?(?: more| trading| business| working)?[- ]{unit}(?:[- ]long)?\b(?P<orso> or so)?|(?P<pthe>[Tt]he (?:past|last|next|previous|following|coming|ensuing|preceding)(?: few| several)?) (?P<punit>decades|years|months|weeks|days|hours|centuries)\b",
        norm: Norm::Duration,
        examples: &[
            ("for three years", "three years", "P3Y"),
            ("more than a decade", "more than a decade", "P1DE"),
            ("in the following decades.", "the following decades", "PXDE"),
            ("the five-day war", "five-day", "P5D"),
            ("34 days", "34 days", "P34D"),
            ("a few months", "a few months", "PXM"),
            ("in the past two months", "the past two months", "P2M"),
            ("in the nine months", "the nine months", "P9M"),
            ("a couple of years", "a couple of years", "P2Y"),
            ("2 1/2 years", "2 1/2 years", "P2Y6M"),
            ("over the past 20 years", "the past 20 years", "P20Y"),
            ("90 days after the", "90 days", "P90D"),
        ],
    },
    RuleDef {
        id: "date:vague-duration",
        pattern: r"(?:[Ff]or|[Oo]ver|[Ii]n|[Ww]ithin|[Aa]fter|[Ll]asted|[Tt]ook|[Ee]ndured) (?P<vunit>decades|years|months|weeks|days|hours|minutes|centuries)\b|(?P<vdec>[Dd]ecades)\b|(?P<vunit2>days|weeks|months|years|hours|minutes) (?P<vrest>of|after|before)\b",
        norm: Norm::VagueDuration,
        examples: &[
            ("for decades", "decades", "PXDE"),
            ("over years of talks", "years", "PXY"),
            ("Decades of conflict", "Decades", "PXDE"),
            ("within hours the", "hours", "PTXH"),
            ("staged weeks of protests", "weeks", "PXW"),
        ],
    },
    RuleDef {
        id: "date:set",
        pattern: r"(?:[Ee]very|[Ee]ach) (?:(?P<sunit>year|month|week|day|decade|morning|evening|night|summer|winter|spring|autumn)\b|{weekday}(?: {pod})?\b|{month}\b)|(?P<sadv>[Aa]nnually|[Yy]early|[Ww]eekly|[Dd]aily|[Mm]onthly|[Hh]ourly)\b|(?P<freq>[Oo]nce|[Tt]wice|[Tt]hree times) an? (?P<funit>year|month|week|day)\b",
        norm: Norm::Set,
        examples: &[
            ("every year the", "every year", "P1Y"),
            ("meets annually", "annually", "P1Y"),
            ("twice a year", "twice a year", "P1Y"),
            ("marched every Monday evening", "every Monday evening", "XXXX-WXX-1TEV"),
            ("each July", "each July", "XXXX-07"),
        ],
    },
    RuleDef {
        id: "date:year",
        pattern: r"(?:(?P<ythe>[Tt]he year) )?(?:{year}\b|(?P<y2000>[Tt]wo thousand)\b)",
        norm: Norm::Year,
        examples: &[
            ("in 1972 Iraq", "1972", "1972"),
            ("a 1972 friendship treaty", "1972", "1972"),
            ("in nineteen ninety-six", "nineteen ninety-six", "1996"),
            ("by the year two thousand", "the year two thousand", "2000"),
        ],
    },
];

/// Expressions that must not be taken as the bare-year rule (context
/// guards): the text before, the text after.
const YEAR_BLOCK_BEFORE: &[&str] = &[
    "$",
    "€",
    "£",
    "#",
    "No.",
    "no.",
    "Resolution ",
    "resolution ",
    "Resolutions ",
    "Flight ",
    "flight ",
    "number ",
    "Number ",
    "Route ",
    "route ",
    "page ",
    "Page ",
    "pp. ",
    "p. ",
    "Article ",
    "article ",
    "Chapter ",
    "chapter ",
    "Section ",
    "Highway ",
    "Room ",
    "code ",
    "Code ",
    "model ",
    "Model ",
    "Boeing ",
    "Airbus ",
    "T-",
    "MiG-",
    "Su-",
    "Mi-",
    "F-",
    "about ",
    "some ",
    "nearly ",
    "almost ",
    "roughly ",
    "approximately ",
];
const YEAR_BLOCK_AFTER: &[&str] = &[
    "%",
    " percent",
    " per cent",
    " troops",
    " soldiers",
    " people",
    " men",
    " women",
    " km",
    " kilometers",
    " kilometres",
    " miles",
    " tons",
    " tonnes",
    " dollars",
    " euros",
    " barrels",
    " tanks",
    " aircraft",
    " casualties",
    " deaths",
    " refugees",
    " votes",
    " points",
    " shares",
    " games",
    " goals",
    " runs",
    " yards",
    " cars",
    " copies",
    " homes",
    " jobs",
    " cases",
    " times",
    " feet",
    " kg",
    " lb",
    " seats",
    " members",
    " metres",
    " meters",
    " civilians",
    " prisoners",
    " rockets",
    " missiles",
    " killed",
    " dead",
    " wounded",
    " hostages",
    " pages",
    " employees",
    " workers",
    " students",
    " residents",
    " families",
    " vehicles",
    " units",
    " officers",
    " fighters",
    " delegates",
    " troops",
    " sq",
    " square",
    " hectares",
    " acres",
    " years",
    " km²",
    "-member",
    "-strong",
    ",000",
    ".",
];

#[derive(Clone)]
struct Rule {
    id: &'static str,
    /// `id` as the annotations' shared source name.
    source: std::sync::Arc<str>,
    norm: Norm,
    /// The whole pattern, anchored at both ends (re-matches a span for
    /// its groups). Compiled on first use, like `prefix`: a run compiles
    /// only the rules its texts need.
    re: SpanCaptures,
    /// The pattern anchored at its start only (finds a rule's own extent
    /// at a candidate position).
    prefix: LazyRegex,
    /// `prefix` with ASCII word boundaries, for text without non-ASCII
    /// word characters: a Unicode `\b` stops the lazy DFA at the first
    /// non-ASCII byte (’ — “ are common next to dates), and the search
    /// then runs again in a slower engine over the rest of the line. On
    /// such text both boundaries hold at the same places (a non-ASCII
    /// character is then a non-word character to both), so the two regexes
    /// match alike.
    prefix_ascii: LazyRegex,
    /// The group table of `re` and `prefix` (the same pattern, so the
    /// same groups), made with `prefix` when first needed.
    groups: std::sync::OnceLock<GroupTable>,
}

impl Rule {
    fn groups(&self) -> &GroupTable {
        self.groups.get_or_init(|| group_table(self.prefix.get()))
    }
}

/// The capture groups the normalizers read. [`group!`] turns a name into
/// its index here at compile time, and each rule keeps a table from these
/// indices to its own group numbers: a lookup by name would hash the name
/// at every read, several times per date.
const GROUP_NAMES: &[&str] = &[
    "ahunit",
    "ampm",
    "anaph",
    "andhalf",
    "aqual",
    "aunit",
    "aunit2",
    "comunit",
    "day",
    "day2",
    "decade",
    "decade2",
    "decadeword",
    "dir",
    "dmod",
    "dpre",
    "dthe",
    "fthe",
    "funit",
    "hn",
    "hol",
    "hour",
    "hour24",
    "hrel",
    "hthe",
    "minute",
    "minute24",
    "month",
    "month2",
    "mrel",
    "mrel2",
    "noon",
    "num",
    "ordinal",
    "orso",
    "pod",
    "ppre",
    "pre",
    "punit",
    "qa",
    "qago",
    "qd",
    "qdy",
    "qn",
    "qprev",
    "qrel",
    "qthe",
    "qthis",
    "qu",
    "qu2",
    "qual",
    "qy",
    "qye",
    "qyear",
    "recunit",
    "rel",
    "runit",
    "sadv",
    "season",
    "squal",
    "sunit",
    "tapprox",
    "tday",
    "unit",
    "vdec",
    "vunit",
    "vunit2",
    "weekday",
    "wpre",
    "wrel",
    "y2000",
    "year",
    "year2",
    "yearend",
    "yend",
    "ythe",
];

/// The index of `name` in [`GROUP_NAMES`] (a compile-time error when it
/// is not there).
const fn group_index(name: &str) -> usize {
    let mut i = 0;
    while i < GROUP_NAMES.len() {
        let (a, b) = (GROUP_NAMES[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("capture group not in GROUP_NAMES");
}

/// A capture group's index in [`GROUP_NAMES`], for [`Caps::name`].
macro_rules! group {
    ($name:literal) => {
        const { group_index($name) }
    };
}

/// For each of [`GROUP_NAMES`], the rule's group number (0: the rule has
/// no such group; group 0 is the whole match, never a named one).
type GroupTable = [u8; GROUP_NAMES.len()];

/// The group table of a rule's regex.
fn group_table(re: &Regex) -> GroupTable {
    let mut table = [0; GROUP_NAMES.len()];
    for (i, name) in re.capture_names().enumerate() {
        if let Some(k) = name.and_then(|n| GROUP_NAMES.iter().position(|g| *g == n)) {
            table[k] = u8::try_from(i).expect("fewer than 256 groups in a date rule");
        }
    }
    table
}

/// A rule's pattern anchored at both ends, run on the span its `prefix`
/// matched for the group spans there. It runs the bounded backtracker
/// directly (the Pike VM when the span is too long for it): the regex
/// crate would first run its lazy DFA over the span to find where the
/// match ends, and the span already says. Every engine gives the same
/// leftmost-first groups. Clones share the compiled engines.
#[derive(Clone)]
struct SpanCaptures {
    pattern: std::sync::Arc<str>,
    engines: std::sync::Arc<std::sync::OnceLock<CaptureEngines>>,
}

/// The two capture engines of one rule, over one NFA.
struct CaptureEngines {
    backtrack: BoundedBacktracker,
    pike: PikeVM,
}

/// One rule's search memory, kept from match to match.
struct CaptureScratch {
    backtrack: backtrack::Cache,
    pike: Option<pikevm::Cache>,
    slots: Vec<Option<NonMaxUsize>>,
    /// The slots of spans seen before, by span text: the groups depend on
    /// nothing else, and news repeats its dates ("Friday", "last year",
    /// "1991": two in three dates of TempEval-3's training news repeat an
    /// earlier span of the same rule). Offsets are bytes below
    /// [`MEMO_NONE`]; longer spans are not kept.
    memo: FnvMap<Box<str>, Option<Box<[u8]>>>,
}

/// A memo slot of a group that took no part in the match.
const MEMO_NONE: u8 = u8::MAX;

/// The most spans one rule's memo keeps before it starts afresh (bounded
/// memory whatever the corpus: at most some 400 KB per rule and thread).
const MEMO_SPANS: usize = 1024;

impl SpanCaptures {
    /// The engines of `pattern`, compiled when first used; its syntax is
    /// checked now.
    fn new(pattern: &str) -> Result<SpanCaptures, regex::Error> {
        regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        Ok(SpanCaptures { pattern: pattern.into(), engines: Default::default() })
    }

    fn build(pattern: &str) -> Result<CaptureEngines, regex::Error> {
        let err = |e: thompson::BuildError| regex::Error::Syntax(e.to_string());
        let nfa = thompson::Compiler::new().build(pattern).map_err(err)?;
        Ok(CaptureEngines {
            backtrack: BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(err)?,
            pike: PikeVM::new_from_nfa(nfa).map_err(err)?,
        })
    }

    fn get(&self) -> &CaptureEngines {
        self.engines.get_or_init(|| {
            SpanCaptures::build(&self.pattern).expect("a pattern whose syntax checked compiles")
        })
    }

    /// Compiles the engines now.
    fn compile(&self) -> Result<(), regex::Error> {
        if self.engines.get().is_none() {
            let _ = self.engines.set(SpanCaptures::build(&self.pattern)?);
        }
        Ok(())
    }

    /// The group slots of the match over all of `hay` (as
    /// `captures_read` fills them), none when it does not match; `scratch`
    /// is made at the first search.
    fn captures<'s>(
        &self,
        scratch: &'s mut Option<CaptureScratch>,
        hay: &str,
    ) -> Option<&'s [Option<NonMaxUsize>]> {
        let e = self.get();
        let s = scratch.get_or_insert_with(|| CaptureScratch {
            backtrack: e.backtrack.create_cache(),
            pike: None,
            slots: vec![None; e.backtrack.get_nfa().group_info().slot_len()],
            memo: FnvMap::default(),
        });
        let memo = hay.len() < usize::from(MEMO_NONE);
        if memo {
            if let Some(kept) = s.memo.get(hay) {
                let kept = kept.as_deref()?;
                for (slot, &k) in s.slots.iter_mut().zip(kept) {
                    *slot = (k != MEMO_NONE).then(|| NonMaxUsize::new(usize::from(k))).flatten();
                }
                return Some(&s.slots[..]);
            }
        }
        // The pattern starts with `^`: an anchored search is the same one.
        let input = Input::new(hay).anchored(Anchored::Yes);
        let found = if hay.len() <= e.backtrack.max_haystack_len() {
            e.backtrack.try_search_slots(&mut s.backtrack, &input, &mut s.slots).ok()
        } else {
            None
        };
        let found = match found {
            Some(m) => m,
            None => {
                let pike = s.pike.get_or_insert_with(|| e.pike.create_cache());
                e.pike.search_slots(pike, &input, &mut s.slots)
            }
        };
        if memo {
            if s.memo.len() >= MEMO_SPANS {
                s.memo.clear();
            }
            let kept = found.map(|_| {
                // Every offset is at most the span's length, below MEMO_NONE.
                s.slots.iter().map(|k| k.map_or(MEMO_NONE, |k| k.get() as u8)).collect()
            });
            s.memo.insert(hay.into(), kept);
        }
        found.map(|_| &s.slots[..])
    }
}

/// The group slots of `locs`, as [`SpanCaptures::captures`] gives them.
fn slots_of(locs: &regex::CaptureLocations) -> Vec<Option<NonMaxUsize>> {
    (0..locs.len())
        .flat_map(|i| {
            let (start, end) = locs.get(i).unzip();
            [start.and_then(NonMaxUsize::new), end.and_then(NonMaxUsize::new)]
        })
        .collect()
}

/// One match of a rule's regex: its group spans (kept between matches so
/// a match allocates nothing) read through the rule's group table. Reads
/// like [`regex::Captures`], with group indices for names.
struct Caps<'t> {
    hay: &'t str,
    /// Start and end of each group by number, as the regex engines give them.
    slots: &'t [Option<NonMaxUsize>],
    groups: &'t GroupTable,
}

impl<'t> Caps<'t> {
    /// Group `i` by number (0: the whole match).
    fn get(&self, i: usize) -> Option<Part<'t>> {
        match (self.slots.get(2 * i)?, self.slots.get(2 * i + 1)?) {
            (Some(start), Some(end)) => {
                Some(Part { hay: self.hay, start: start.get(), end: end.get() })
            }
            _ => None,
        }
    }

    /// The group of index `group` (see [`group!`]), when it took part in
    /// the match.
    #[inline]
    fn name(&self, group: usize) -> Option<Part<'t>> {
        match self.groups[group] {
            0 => None,
            i => self.get(usize::from(i)),
        }
    }
}

/// A group's span in the matched text, like [`regex::Match`].
#[derive(Clone, Copy)]
struct Part<'t> {
    hay: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Part<'t> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn as_str(&self) -> &'t str {
        &self.hay[self.start..self.end]
    }
}

/// The compiled date recognizer.
pub struct DateRecognizer {
    /// The candidate alternation, for the rare search the start test
    /// cannot finish (see [`RuleStarts::starts_at`]).
    all: Regex,
    /// Where the candidate alternation has a match, tested at word starts.
    starts: RuleStarts,
    /// Every rule's start-anchored pattern with its word-boundary
    /// assertions left out, one pattern each in one lazy DFA that reports
    /// all of them (what a `RegexSet` of them reports): a superset test of
    /// which rules can match at a candidate position, in one pass, on text
    /// with non-ASCII word characters (the rules' own regexes then run only
    /// where it says they may; other text has `rule_ends`). Searched
    /// directly, into a pattern set kept in the scratch space: the
    /// `RegexSet` wrapper allocated a set and went through its engine
    /// choice at every candidate.
    may_match: hybrid::dfa::DFA,
    /// Every rule's `prefix_ascii` pattern in one lazy DFA that reports
    /// all of them at every end (all matches, like `may_match`, but with
    /// the rules' ASCII word boundaries): on text without non-ASCII word
    /// characters, exactly the rules that match at a candidate and where
    /// their matches end. A rule whose matches there all end at one place
    /// has its extent without a search of its own (its regex's match is
    /// one of them).
    rule_ends: hybrid::dfa::DFA,
    /// Whether the rule-ends walk from a position also answers the start
    /// test there ([`DateRecognizer::starts_with_ends`]): true unless a
    /// rule has an assertion about what comes before other than an ASCII
    /// word boundary (which, after a character that is not a word
    /// character, holds as at the start of the text).
    ends_start_test: bool,
    /// Each rule's `prefix_ascii` pattern as a forward lazy DFA, for the
    /// rules whose matches end in several places (`rule_ends`), searched
    /// directly (the regex crate's own search adds its engine choice and
    /// cache pool to every one of these short anchored searches).
    prefix_dfas: Vec<hybrid::dfa::DFA>,
    /// Owned, so that each worker's clone of the pipeline has its own
    /// regex scratch space (the capture engines inside are shared; their
    /// memory is `scratch`).
    rules: Vec<Rule>,
    /// Search memory kept from text to text (a text whose recognizer is
    /// busy on another thread makes its own).
    scratch: std::sync::Mutex<Scratch>,
}

/// The recognizer's search memory.
#[derive(Default)]
struct Scratch {
    /// Each rule's capture memory.
    captures: Vec<Option<CaptureScratch>>,
    /// The start test's lazy-DFA states.
    starts: Option<hybrid::dfa::Cache>,
    /// The prefix DFAs' states, by rule.
    prefixes: Vec<Option<hybrid::dfa::Cache>>,
    /// The rule-set DFA's states, and the rules it found.
    may_match: Option<(hybrid::dfa::Cache, PatternSet)>,
    /// The rule-ends DFA's states, and what it found of each rule.
    rule_ends: Option<(hybrid::dfa::Cache, Vec<Ends>)>,
    /// Rejected starts ([`DateRecognizer::starts_with_ends`]).
    rejected: Rejected,
}

/// The first eight bytes of starts the rule-ends walk rejected within
/// them (it reached its dead state there, with no match): another start
/// with the same eight bytes is rejected as well, whatever follows, and
/// is not walked again. Most rejected starts are a few common words ("the
/// Soviet", "that the", "with the"), and each walk costs cache misses in
/// the lazy DFA's cold tables. A direct-mapped table of the exact bytes,
/// kept from text to text: a hit is the walk's own answer.
#[derive(Debug, Default)]
struct Rejected(Vec<u64>);

/// Slots of [`Rejected`] (a power of two).
const REJECTED_SLOTS: usize = 4096;

impl Rejected {
    /// The slot of the eight bytes `key`.
    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - REJECTED_SLOTS.trailing_zeros())) as usize
    }
    fn holds(&self, key: u64) -> bool {
        self.0.get(Rejected::slot(key)) == Some(&key)
    }
    fn insert(&mut self, key: u64) {
        if self.0.is_empty() {
            // Made at the first rejection, not with every scratch space.
            // (0xff never occurs in UTF-8: no text's bytes are an empty
            // slot.)
            self.0 = vec![u64::MAX; REJECTED_SLOTS];
        }
        self.0[Rejected::slot(key)] = key;
    }
}

/// Where one rule's matches at a candidate end, as far as the walk of
/// [`DateRecognizer`]'s `rule_ends` needs to know.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ends {
    None,
    /// All of them at this offset of the haystack.
    One(usize),
    /// At more than one offset (the rule's own search picks one).
    Many,
}

impl Ends {
    fn add(&mut self, end: usize) {
        *self = match *self {
            Ends::None => Ends::One(end),
            Ends::One(e) if e == end => Ends::One(e),
            _ => Ends::Many,
        };
    }
}

/// Which positions begin a match of the candidate alternation: its lazy
/// DFA anchored at the position, stepped by hand over the sentence until
/// it matches or dies (a few bytes at most words). Only word starts are
/// tried, and only those whose first two bytes can begin a rule and whose
/// first four bytes may, tables made from the alternation's NFA; an
/// unanchored search instead keeps the states of every partial match
/// alive at every byte, megabytes of them on news text.
#[derive(Clone)]
struct RuleStarts {
    dfa: hybrid::dfa::DFA,
    /// Each byte's start bits ([`START`], [`GLUED`]: when it may begin a
    /// match, which kind of word start it can be) and, shifted by
    /// [`AFTER`], the kinds of word start the byte allows after it.
    class: [u8; 256],
    /// For each byte that may begin a match, the bytes that may follow it
    /// there (a bit set; all of them after a one-byte match).
    second: std::sync::Arc<[[u64; 4]; 256]>,
    /// The four-byte strings that may begin a match, as bits of a hash
    /// set ([`quad_bit`]; a bit may stand for strings that begin none).
    /// Most words the DFA would try are not dates and die within four
    /// bytes ("and ", "the ", "than", "Mosc"); each DFA step loads from a
    /// transition table of megabytes, while the hot words' bits stay in
    /// the cache.
    quads: std::sync::Arc<[u64]>,
}

/// The bits of [`RuleStarts`]'s set of four-byte strings: some 80,000 of
/// them in 2^19 bits, one bit in seven set.
const QUAD_BITS: u32 = 19;

/// The bit of `quad` (four bytes, little-endian) in [`RuleStarts`]'s set:
/// a multiplicative hash's top bits.
fn quad_bit(quad: u32) -> usize {
    (quad.wrapping_mul(0x9E37_79B1) >> (32 - QUAD_BITS)) as usize
}

/// A word start after a character that is not a letter or digit.
const START: u8 = 1;
/// A glued join ("WarThe": a capital after a lowercase letter).
const GLUED: u8 = 2;
/// The shift of the kinds of word start a byte allows after it: both after
/// a byte that is not an ASCII letter or digit (the boundary test decodes
/// a character that is not ASCII), a glued join after a lowercase letter,
/// none after a capital or digit.
const AFTER: u32 = 4;

/// A lazy DFA of `pattern` (the bundled `what`) with the recognizer's
/// cache, never given up for clearing its cache often (the searches are
/// short).
fn lazy_dfa(pattern: &str, what: &str) -> hybrid::dfa::DFA {
    hybrid::dfa::DFA::builder()
        .configure(dfa_config())
        .build(pattern)
        .unwrap_or_else(|e| panic!("{what} does not compile: {e}"))
}

/// The recognizer's lazy-DFA settings ([`lazy_dfa`]).
fn dfa_config() -> hybrid::dfa::Config {
    hybrid::dfa::DFA::config().cache_capacity(DFA_CACHE_BYTES).minimum_cache_clear_count(None)
}

/// Whether bit `i` of the bit set `set` is on.
#[inline]
fn bit_of(set: &[u64], i: usize) -> bool {
    set[i / 64] >> (i % 64) & 1 == 1
}

/// Turns bit `i` of the bit set `set` on.
fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

impl RuleStarts {
    fn new(alternation: &str) -> RuleStarts {
        let dfa = lazy_dfa(alternation, "the date alternation");
        let (second, quads) = first_bytes(dfa.get_nfa());
        let mut class = [0u8; 256];
        for (b, k) in (0..=255u8).zip(class.iter_mut()) {
            // (Never a UTF-8 continuation byte.)
            let can_begin = second[usize::from(b)] != [0; 4] && !(0x80..0xC0).contains(&b);
            let capital = b.is_ascii_uppercase() || b >= 0x80;
            let begins = if can_begin { START | if capital { GLUED } else { 0 } } else { 0 };
            let after = if !b.is_ascii_alphanumeric() {
                START | GLUED
            } else if b.is_ascii_lowercase() {
                GLUED
            } else {
                0
            };
            *k = begins | after << AFTER;
        }
        RuleStarts { dfa, class, second: std::sync::Arc::new(second), quads: quads.into() }
    }

    /// True unless the first bytes of `s` (the text from a position on)
    /// cannot begin a match: its first two bytes, and its first four.
    #[inline]
    fn may_begin(&self, s: &[u8]) -> bool {
        if let [first, next, ..] = *s {
            if !bit_of(&self.second[usize::from(first)], usize::from(next)) {
                return false;
            }
        }
        if let Some(&quad) = s.first_chunk::<4>() {
            if !bit_of(&self.quads, quad_bit(u32::from_le_bytes(quad))) {
                return false;
            }
        }
        true
    }

    /// True when the alternation matches at `at` of `s` (a char boundary)
    /// within `s`, as a search of `s` from `at` or before would see it;
    /// `None` when the DFA gives up.
    fn starts_at(&self, cache: &mut hybrid::dfa::Cache, s: &[u8], at: usize) -> Option<bool> {
        let look = at.checked_sub(1).map(|k| s[k]);
        let config = start::Config::new().anchored(Anchored::Yes).look_behind(look);
        let mut sid = self.dfa.start_state(cache, &config).ok()?;
        for &b in &s[at..] {
            sid = self.dfa.next_state(cache, sid, b).ok()?;
            if sid.is_tagged() {
                if sid.is_match() {
                    return Some(true);
                }
                if sid.is_dead() {
                    return Some(false);
                }
                if sid.is_quit() {
                    return None;
                }
            }
        }
        Some(self.dfa.next_eoi_state(cache, sid).ok()?.is_match())
    }
}

/// For each byte, the bytes that may follow it at the start of a match of
/// `nfa` (every byte after a one-byte match); and the set of four-byte
/// strings that may begin a match ([`RuleStarts::quads`]; every string
/// that begins with a shorter match). Look-around assertions are taken as
/// met: supersets of the strings that begin a match.
fn first_bytes(nfa: &thompson::NFA) -> ([[u64; 4]; 256], Vec<u64>) {
    let prefixes = Prefixes { nfa, seen: Default::default() };
    let mut start = vec![nfa.start_anchored()];
    prefixes.closure(&mut start);
    let mut pairs = [[0u64; 4]; 256];
    let mut quads = vec![0u64; 1 << (QUAD_BITS - 6)];
    for (b, row) in (0..=255u8).zip(pairs.iter_mut()) {
        let after = prefixes.after(&start, b);
        *row = prefixes.follow(&after);
        prefixes.quads(&after, u32::from(b), 1, &mut quads);
    }
    (pairs, quads)
}

/// The walk of [`first_bytes`] over sets of NFA states.
struct Prefixes<'n> {
    nfa: &'n thompson::NFA,
    /// For each NFA state, the number of the last closure that reached
    /// it, and the number of closures: one table for the walk's
    /// thousands of closures rather than one cleared table each.
    seen: std::cell::RefCell<(Vec<u32>, u32)>,
}

impl Prefixes<'_> {
    /// Adds to `set` the states reachable from it without reading a byte.
    fn closure(&self, set: &mut Vec<StateID>) {
        use regex_automata::nfa::thompson::State;
        let mut seen = self.seen.borrow_mut();
        let (seen, stamp) = &mut *seen;
        seen.resize(self.nfa.states().len(), 0);
        *stamp += 1;
        let mut todo = std::mem::take(set);
        while let Some(id) = todo.pop() {
            if std::mem::replace(&mut seen[id.as_usize()], *stamp) == *stamp {
                continue;
            }
            set.push(id);
            match self.nfa.state(id) {
                State::Look { next, .. } | State::Capture { next, .. } => todo.push(*next),
                State::Union { alternates } => todo.extend(alternates.iter().copied()),
                State::BinaryUnion { alt1, alt2 } => todo.extend([*alt1, *alt2]),
                _ => {}
            }
        }
    }

    /// Where the states of `set` go on byte `b`, with their closure.
    fn after(&self, set: &[StateID], b: u8) -> Vec<StateID> {
        use regex_automata::nfa::thompson::State;
        let mut next = set
            .iter()
            .filter_map(|&id| match self.nfa.state(id) {
                State::ByteRange { trans } => trans.matches_byte(b).then_some(trans.next),
                State::Sparse(sparse) => sparse.matches_byte(b),
                State::Dense(dense) => dense.matches_byte(b),
                _ => None,
            })
            .collect();
        self.closure(&mut next);
        next
    }

    /// True when `set` has a match state.
    fn matches(&self, set: &[StateID]) -> bool {
        set.iter().any(|&id| matches!(self.nfa.state(id), thompson::State::Match { .. }))
    }

    /// The bytes the states of `set` may read next (every byte when one
    /// of them is a match), as a bit set.
    fn follow(&self, set: &[StateID]) -> [u64; 4] {
        use regex_automata::nfa::thompson::State;
        if self.matches(set) {
            return [u64::MAX; 4];
        }
        let mut row = [0u64; 4];
        let mut read = |from: u8, to: u8| {
            for b in from..=to {
                set_bit(&mut row, usize::from(b));
            }
        };
        for &id in set {
            match self.nfa.state(id) {
                State::ByteRange { trans } => read(trans.start, trans.end),
                State::Sparse(sparse) => {
                    sparse.transitions.iter().for_each(|t| read(t.start, t.end))
                }
                State::Dense(dense) => {
                    for (b, &to) in (0..=255u8).zip(dense.transitions.iter()) {
                        if to != StateID::ZERO {
                            read(b, b);
                        }
                    }
                }
                _ => {}
            }
        }
        row
    }

    /// Adds to `quads` the four-byte strings that begin with the `len`
    /// bytes of `prefix` (little-endian), which lead to `set`, and may
    /// begin a match.
    fn quads(&self, set: &[StateID], prefix: u32, len: u32, quads: &mut [u64]) {
        if set.is_empty() {
            return;
        }
        if self.matches(set) {
            // Anything may follow a match: its three-byte strings each
            // add 256 (a match of one or two bytes lets everything by).
            if len < 3 {
                quads.fill(u64::MAX);
            }
            for b in (len == 3).then_some(0..=255u8).into_iter().flatten() {
                set_bit(quads, quad_bit(prefix | u32::from(b) << 24));
            }
            return;
        }
        let follow = self.follow(set);
        for b in (0..=255u8).filter(|&b| bit_of(&follow, usize::from(b))) {
            let prefix = prefix | u32::from(b) << (8 * len);
            if len == 3 {
                set_bit(quads, quad_bit(prefix));
            } else {
                self.quads(&self.after(set, b), prefix, len + 1, quads);
            }
        }
    }
}

impl Clone for DateRecognizer {
    fn clone(&self) -> DateRecognizer {
        DateRecognizer {
            all: self.all.clone(),
            starts: self.starts.clone(),
            prefix_dfas: self.prefix_dfas.clone(),
            may_match: self.may_match.clone(),
            rule_ends: self.rule_ends.clone(),
            ends_start_test: self.ends_start_test,
            rules: self.rules.clone(),
            scratch: Default::default(),
        }
    }
}

impl std::fmt::Debug for DateRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DateRecognizer({} rules)", self.rules.len())
    }
}

fn expand(pattern: &str) -> String {
    let mut out = pattern.to_string();
    for (name, re) in PLACEHOLDERS {
        out = out.replace(&format!("{{{name}}}"), re);
    }
    debug_assert!(!out.contains("{month}") && !out.contains("{year}"), "{out}");
    out
}

/// Turns named groups into non-capturing ones, so patterns can be joined
/// into one alternation.
fn uncapture(pattern: &str) -> String {
    static GROUP: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"\(\?P<[a-z0-9]+>").expect("static regex"));
    GROUP.replace_all(pattern, "(?:").into_owned()
}

/// Compiles a rule regex with a lazy-DFA cache large enough for the
/// month, number and spelled-year alternations (the default cache is
/// rebuilt over and over on news text, which dominated the run time).
fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).dfa_size_limit(DFA_CACHE_BYTES).build()
}

/// The alternation the recognizer scans text with to find candidate
/// positions: every rule's pattern, its named groups made non-capturing.
/// The alternation only finds positions, so ASCII word boundaries are
/// enough (a Unicode one stops the lazy DFA on non-ASCII text). Public for
/// the benchmark's floor program, which scans with exactly this.
pub fn candidate_pattern() -> String {
    let uncaptured: Vec<String> = RULES.iter().map(|def| uncapture(&expand(def.pattern))).collect();
    alternation(&uncaptured)
}

/// The candidate alternation of the rules' uncaptured patterns.
fn alternation(uncaptured: &[String]) -> String {
    ascii_boundaries(&uncaptured.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|"))
}

/// `pattern` with ASCII word boundaries for its Unicode ones (the rule
/// patterns have no `\B` and no escaped backslash).
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// The patterns of the rule-set test ([`DateRecognizer`]'s `may_match`):
/// each rule start-anchored, without word boundaries.
fn rule_set_patterns(uncaptured: &[String]) -> Vec<String> {
    uncaptured.iter().map(|p| format!("^(?:{})", without_word_boundaries(p))).collect()
}

/// The lazy-DFA cache the recognizer's regexes get (see [`candidate_pattern`]).
pub const DFA_CACHE_BYTES: usize = 32 << 20;

impl DateRecognizer {
    /// Compiles every rule's regexes now, and the dateline and future-cue
    /// patterns (they are otherwise compiled when first needed).
    ///
    /// # Errors
    /// The first regex that does not compile.
    pub fn compile_all(&self) -> Result<(), regex::Error> {
        for r in &self.rules {
            r.re.compile()?;
            r.prefix.compile()?;
            r.prefix_ascii.compile()?;
        }
        DATELINE.iter().try_for_each(|g| g.exact.compile())?;
        FUTURE_CUE.exact.compile()
    }

    /// Compiles the rule table.
    pub fn new() -> DateRecognizer {
        // Each rule's pattern, expanded and uncaptured once, serves the
        // rule's own regexes, the candidate alternation and the rule set.
        let expanded: Vec<String> = RULES.iter().map(|def| expand(def.pattern)).collect();
        let uncaptured: Vec<String> = expanded.iter().map(|p| uncapture(p)).collect();
        let mut rules = Vec::new();
        for (def, p) in RULES.iter().zip(&expanded) {
            let re = SpanCaptures::new(&format!("^(?:{p})$"))
                .unwrap_or_else(|e| panic!("date rule {} does not compile: {e}", def.id));
            let prefix = LazyRegex::new(&format!("^(?:{p})"), compile)
                .unwrap_or_else(|e| panic!("date rule {} does not compile: {e}", def.id));
            let prefix_ascii = LazyRegex::new(&format!("^(?:{})", ascii_boundaries(p)), compile)
                .unwrap_or_else(|e| panic!("date rule {} does not compile: {e}", def.id));
            rules.push(Rule {
                id: def.id,
                source: def.id.into(),
                norm: def.norm,
                re,
                prefix,
                prefix_ascii,
                groups: Default::default(),
            });
        }
        let alternation = alternation(&uncaptured);
        let all = compile(&alternation).expect("date alternation compiles");
        let starts = RuleStarts::new(&alternation);
        let set = rule_set_patterns(&uncaptured);
        let may_match = all_matches_dfa(&set, "date rule set");
        // (Not anchored by `^`: the searches are anchored, and the walk
        // also runs where a character comes before, for the start test.)
        let ascii: Vec<String> = uncaptured.iter().map(|p| ascii_boundaries(p)).collect();
        let rule_ends = all_matches_dfa(&ascii, "date rule ends");
        let looks = rule_ends.get_nfa().look_set_any();
        let ends_start_test = !looks.contains_word_unicode()
            && ![Look::Start, Look::StartLF, Look::StartCRLF]
                .into_iter()
                .any(|l| looks.contains(l));
        let prefix_dfas = expanded
            .iter()
            .map(|p| lazy_dfa(&format!("^(?:{})", ascii_boundaries(p)), "a date rule"))
            .collect();
        DateRecognizer {
            all,
            starts,
            may_match,
            rule_ends,
            ends_start_test,
            prefix_dfas,
            rules,
            scratch: Default::default(),
        }
    }

    /// Finds and normalizes the date expressions of `text` that lie inside
    /// `regions` (content sentences), given the document creation time.
    ///
    /// The next candidate position is the next word start where the
    /// combined alternation matches ([`DateRecognizer::next_start`]); there
    /// each rule's extent comes from the rule-ends walk (or, where that
    /// cannot tell, the rule's start-anchored regex), and the
    /// longest extent that passes its guards and normalizes wins (on equal
    /// length the earlier rule). Scanning resumes after it, or one
    /// character further when nothing at the position is a date.
    pub fn recognize(&self, text: &str, regions: &[Span], dct: Option<Ymd>) -> Vec<Annotation> {
        // Room for a date per sentence: the list rarely grows (a growth
        // copies every annotation found so far).
        let mut out = Vec::with_capacity(regions.len());
        let mut anchor = Anchor {
            dct,
            last: dct.map(Granular::day),
            last_day: dct,
            last_quarter: None,
            future: None,
        };
        let mut cands: Vec<(usize, usize)> = Vec::new();
        let mut own = Scratch::default();
        let mut guard = self.scratch.try_lock().ok();
        let Scratch { captures: scratch, starts: cache, prefixes, may_match, rule_ends, rejected } =
            guard.as_deref_mut().unwrap_or(&mut own);
        prefixes.resize_with(self.rules.len(), || None);
        let (set_cache, set) = may_match.get_or_insert_with(|| {
            (self.may_match.create_cache(), PatternSet::new(self.rules.len()))
        });
        let (ends_cache, ends) =
            rule_ends.get_or_insert_with(|| (self.rule_ends.create_cache(), Vec::new()));
        let cache = cache.get_or_insert_with(|| self.starts.dfa.create_cache());
        // A match may run past its sentence on the same line ("5 p.m. EST
        // Nov. 9", split after "p.m."); `consumed` keeps the next sentence
        // from matching the same words again.
        let mut consumed: usize = 0;
        for region in regions {
            let ext_end = match_limit(text, region.end);
            let ascii_words = !has_non_ascii_word(&text[region.start..ext_end]);
            let mut from = consumed.max(region.start).min(region.end);
            loop {
                let found = if ascii_words {
                    self.next_start(text, *region, from, |at| {
                        self.starts_with_ends(
                            cache, ends_cache, rejected, text, *region, ext_end, at, ends,
                        )
                    })
                } else {
                    self.next_start(text, *region, from, |at| {
                        self.rule_starts_at(cache, text, *region, at)
                    })
                };
                let Some(start) = found else { break };
                let hay = &text[start..ext_end];
                cands.clear();
                // (Every match starts at the candidate.)
                let mut push = |i: usize, end: Option<usize>| {
                    if let Some(end) = end.filter(|&e| e > 0) {
                        cands.push((start + end, i));
                    }
                };
                if ascii_words {
                    // (`ends` is filled by the start test.)
                    for (i, &e) in ends.iter().enumerate() {
                        let end = match e {
                            Ends::None => continue,
                            Ends::One(end) => Some(end),
                            Ends::Many => {
                                let dfa = &self.prefix_dfas[i];
                                let c = prefixes[i].get_or_insert_with(|| dfa.create_cache());
                                let input = Input::new(hay).anchored(Anchored::Yes);
                                match dfa.try_search_fwd(c, &input) {
                                    Ok(m) => m.map(|m| m.offset()),
                                    Err(_) => {
                                        self.rules[i].prefix_ascii.get().find(hay).map(|m| m.end())
                                    }
                                }
                            }
                        };
                        push(i, end);
                    }
                } else {
                    set.clear();
                    let walked = all_matches(
                        &self.may_match,
                        set_cache,
                        hay.as_bytes(),
                        hay.len(),
                        |p, _| {
                            set.insert(p);
                        },
                    );
                    if walked.is_none() {
                        // (Never expected: the patterns have no word
                        // boundary to give up on. Every rule may match
                        // then.)
                        for i in 0..self.rules.len() {
                            set.insert(PatternID::must(i));
                        }
                    }
                    for i in set.iter().map(|p| p.as_usize()) {
                        push(i, self.rules[i].prefix.get().find(hay).map(|m| m.end()));
                    }
                }
                cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let mut next = None;
                for &(end, i) in &cands {
                    // (The start is a word start.)
                    let span = Span::new(start, end);
                    if !segment::is_end_boundary(text, end) && !ends_with_dot(span.of(text)) {
                        continue;
                    }
                    if let Some(a) = self.normalize(text, span, i, &mut anchor, scratch) {
                        out.push(a);
                        next = Some(end);
                        break;
                    }
                }
                let abs = match next {
                    Some(e) => e,
                    None => start + text[start..].chars().next().map_or(1, char::len_utf8),
                };
                consumed = consumed.max(abs);
                from = abs;
            }
        }
        out
    }

    /// The first position from `from` on in `region` where a word may
    /// start ([`segment::is_start_boundary`]) and the candidate alternation
    /// matches within the region: the start of the next candidate a
    /// search of the region would find, of those that begin a word (a date
    /// begins a word).
    ///
    /// `test` decides a position that the byte tables let through: the
    /// start test of [`DateRecognizer::rule_starts_at`], or on text without
    /// non-ASCII word characters [`DateRecognizer::starts_with_ends`].
    fn next_start(
        &self,
        text: &str,
        region: Span,
        from: usize,
        mut test: impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        let bytes = text.as_bytes();
        let class = &self.starts.class;
        // Text start: a word may start there.
        let mut allowed =
            from.checked_sub(1).map_or(START, |k| class[usize::from(bytes[k])] >> AFTER);
        let rest = bytes.get(from..region.end).unwrap_or_default();
        for (k, &b) in rest.iter().enumerate() {
            let here = class[usize::from(b)];
            let hit = allowed & here;
            allowed = here >> AFTER;
            // (The byte tables first, here: most words go no further, and
            // the call saves registers for the DFA.)
            if hit != 0 && self.starts.may_begin(&rest[k..]) && test(from + k) {
                return Some(from + k);
            }
        }
        None
    }

    /// [`DateRecognizer::next_start`]'s test of a position `at` whose
    /// bytes say a word may start there and a rule may begin (the first
    /// bytes there, [`RuleStarts::may_begin`]).
    #[inline(never)]
    fn rule_starts_at(
        &self,
        cache: &mut hybrid::dfa::Cache,
        text: &str,
        region: Span,
        at: usize,
    ) -> bool {
        let bytes = text.as_bytes();
        let s = &bytes[region.start..region.end];
        let rel = at - region.start;
        if !begins_word(text, at) {
            return false;
        }
        self.starts.starts_at(cache, s, rel).unwrap_or_else(|| {
            self.all.find_at(region.of(text), rel).is_some_and(|m| m.start() == rel)
        })
    }

    /// [`DateRecognizer::rule_starts_at`]'s answer for a position `at` of
    /// a region on text without non-ASCII word characters, and when true,
    /// where each rule's `prefix_ascii` matches there end (in `ends`, by
    /// rule; the haystack runs to `ext_end`).
    ///
    /// One walk of the rule-ends DFA gives both, as a rule's own search
    /// from `at` sees them: the alternation matches within the region
    /// when a rule matches there ending before the region's end (the bytes
    /// its assertions read are the same), or would match up to the region's
    /// end were the text to end there. The walk starts as at the start of
    /// a text, which is what the region's character before `at` is to the
    /// rules' assertions unless it is an ASCII word character (a glued
    /// join, "WarThe"); then, or when the walk gives up, the start test
    /// runs first and the walk after it.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn starts_with_ends(
        &self,
        cache: &mut hybrid::dfa::Cache,
        ends_cache: &mut hybrid::dfa::Cache,
        rejected: &mut Rejected,
        text: &str,
        region: Span,
        ext_end: usize,
        at: usize,
        ends: &mut Vec<Ends>,
    ) -> bool {
        let bytes = text.as_bytes();
        let hay = &bytes[at..ext_end];
        // The walk's answer, whether it reported any match, and how many
        // bytes it read.
        let mut walk = |cut: usize| {
            ends.clear();
            ends.resize(self.rules.len(), Ends::None);
            let (mut early, mut any) = (false, false);
            let walked = all_matches(&self.rule_ends, ends_cache, hay, cut, |p, e| {
                ends[p.as_usize()].add(e);
                early |= e < cut;
                any = true;
            });
            walked.map(|(at_cut, read)| (early || at_cut, any, read))
        };
        let behind = (at > region.start).then(|| bytes[at - 1]);
        if self.ends_start_test && !behind.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            if !begins_word(text, at) {
                return false;
            }
            let cut = region.end - at;
            // Eight bytes inside the region: what the walk reads of them
            // is the same at every start that has them.
            let key = (cut >= 8).then(|| u64::from_le_bytes(hay[..8].try_into().expect("8")));
            if key.is_some_and(|k| rejected.holds(k)) {
                return false;
            }
            if let Some((starts, any, read)) = walk(cut) {
                if let Some(k) = key.filter(|_| !starts && !any && read <= 8) {
                    rejected.insert(k);
                }
                return starts;
            }
        }
        if !self.rule_starts_at(cache, text, region, at) {
            return false;
        }
        if walk(hay.len()).is_none() {
            // (Never expected, as for the rule set.)
            ends.fill(Ends::Many);
        }
        true
    }

    /// The day named right after a clock time ("on July 27, 1953",
    /// "Thursday", ", Nov. 6"), resolved like the date itself.
    fn following_day(&self, text: &str, end: usize, anchor: &Anchor<'_>) -> Option<Ymd> {
        let rest = &text[end..];
        let rest = rest
            .strip_prefix(" on ")
            .or_else(|| rest.strip_prefix(", "))
            .or_else(|| rest.strip_prefix(" "))?;
        let mut cut = rest.len().min(40);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let rest = &rest[..cut];
        for rule in self.rules.iter() {
            if !matches!(rule.norm, Norm::FullDate | Norm::Weekday | Norm::Deictic) {
                continue;
            }
            let mut locs = rule.prefix.get().capture_locations();
            if rule.prefix.get().captures_read(&mut locs, rest).is_none() {
                continue;
            }
            let slots = slots_of(&locs);
            let c = Caps { hay: rest, slots: &slots, groups: rule.groups() };
            let tmp = Anchor { future: None, ..*anchor };
            let n = normalize(rule.norm, &c, &tmp)?;
            return n.value.get(..10).and_then(Ymd::parse);
        }
        None
    }

    fn normalize<'t>(
        &self,
        text: &'t str,
        span: Span,
        rule_index: usize,
        anchor: &mut Anchor<'t>,
        scratch: &mut Vec<Option<CaptureScratch>>,
    ) -> Option<Annotation> {
        let rule = &self.rules[rule_index];
        // The context guards read only the text, so they run before the
        // (costlier) capture search.
        if rule.norm == Norm::Year && !year_allowed(text, span) {
            return None;
        }
        if rule.id == "date:month-alone" && !month_alone_allowed(text, span) {
            return None;
        }
        if !context_allowed(rule.norm, text, span) {
            return None;
        }
        if scratch.len() <= rule_index {
            scratch.resize_with(self.rules.len(), || None);
        }
        let slots = rule.re.captures(&mut scratch[rule_index], span.of(text))?;
        let c = Caps { hay: span.of(text), slots, groups: rule.groups() };
        anchor.future = Some((text, span));
        // "10 a.m. on July 27, 1953": a clock time takes the day that
        // follows it.
        let saved_day = anchor.last_day;
        if rule.norm == Norm::Time
            && c.name(group!("weekday")).is_none()
            && c.name(group!("month")).is_none()
            && c.name(group!("tday")).is_none()
        {
            if let Some(d) = self.following_day(text, span.end, anchor) {
                anchor.last_day = Some(d);
            }
        }
        let n = normalize(rule.norm, &c, anchor);
        anchor.last_day = saved_day;
        let n = n?;
        let (span, _trimmed) = trim_span(text, span, &c, rule.norm);
        let interval = if n.label == "DATE" { timex::interval_of(&n.value) } else { None };
        if let Some(g) = n.sets_anchor {
            anchor.last = Some(g);
            if g.level == Level::Day {
                anchor.last_day = Some(g.date);
            }
            if g.level == Level::Quarter {
                anchor.last_quarter = Some((g.date.y, (g.date.m as i32 - 1) / 3 + 1));
            }
        }
        Some(Annotation {
            span,
            layer: Layer::Date,
            label: n.label,
            source: rule.source.clone(),
            attrs: Attrs::Date { value: n.value, modifier: n.modifier, interval },
        })
    }
}

/// A lazy DFA of `patterns` that reports every match of each
/// ([`all_matches`]), for the recognizer's rule tests (`what` names them).
fn all_matches_dfa(patterns: &[String], what: &str) -> hybrid::dfa::DFA {
    hybrid::dfa::DFA::builder()
        .configure(dfa_config().match_kind(regex_automata::MatchKind::All))
        .thompson(thompson::Config::new().which_captures(thompson::WhichCaptures::None))
        .build_many(patterns)
        .unwrap_or_else(|e| panic!("the {what} does not compile: {e}"))
}

/// Reports each match of [`all_matches_dfa`]'s `dfa` that starts at the
/// start of `hay`, as its pattern and end (every pattern at every end
/// where it matches, ends in increasing order): what an anchored
/// overlapping search reports, in one walk stepped by hand (that search
/// returns to its caller at every match, a few times per candidate, and
/// sets itself up again each time). Returns whether a pattern would
/// also match up to `cut` (at most `hay`'s length) were `hay` to end
/// there, and how many bytes of `hay` it read (up to the one that
/// took it to its dead state, or all); `None` when the DFA gives up.
fn all_matches(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    cut: usize,
    mut report: impl FnMut(PatternID, usize),
) -> Option<(bool, usize)> {
    debug_assert!(cut <= hay.len(), "the cut lies inside the haystack");
    let config = start::Config::new().anchored(Anchored::Yes);
    let mut sid = dfa.start_state(cache, &config).ok()?;
    // A match state holds the matches that end just before the byte that
    // led to it (the DFA's matches are one byte late).
    let mut add = |cache: &hybrid::dfa::Cache, sid: hybrid::LazyStateID, end: usize| {
        for k in 0..dfa.match_len(cache, sid) {
            report(dfa.match_pattern(cache, sid, k), end);
        }
    };
    let mut ends_at_cut = false;
    for (at, &b) in hay.iter().enumerate() {
        if at == cut {
            let clears = cache.clear_count();
            ends_at_cut = dfa.next_eoi_state(cache, sid).ok()?.is_match();
            // (A cleared cache would leave `sid` stale.)
            if cache.clear_count() != clears {
                return None;
            }
        }
        sid = dfa.next_state(cache, sid, b).ok()?;
        if sid.is_tagged() {
            if sid.is_match() {
                add(cache, sid, at);
            } else if sid.is_dead() {
                return Some((ends_at_cut, at + 1));
            } else if sid.is_quit() {
                return None;
            }
        }
    }
    sid = dfa.next_eoi_state(cache, sid).ok()?;
    if sid.is_match() {
        add(cache, sid, hay.len());
    }
    Some((ends_at_cut || cut == hay.len() && sid.is_match(), hay.len()))
}

/// False when `at`, whose bytes the start tables let through, is not a
/// word start after all: the tables take a glued join or a character that
/// is not ASCII for one, and [`segment::is_start_boundary`] decides.
fn begins_word(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    !(at > 0
        && (bytes[at - 1] >= 0x80 || bytes[at - 1].is_ascii_alphanumeric() || bytes[at] >= 0x80)
        && !segment::is_start_boundary(text, at))
}

/// How far a match in the region ending at `end` may run: to the end of
/// its line, at most 60 bytes on (back to a character boundary). The line
/// end is looked for only that far (every sentence of a long paragraph
/// scanned to its end).
fn match_limit(text: &str, end: usize) -> usize {
    let lim = text.len().min(end + 60);
    let mut limit = memchr::memchr(b'\n', &text.as_bytes()[end..lim]).map_or(lim, |k| end + k);
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    limit
}

impl Default for DateRecognizer {
    fn default() -> Self {
        DateRecognizer::new()
    }
}

fn ends_with_dot(s: &str) -> bool {
    s.ends_with('.')
}

/// Some rules match words around the expression for context ("in May",
/// "over the past 20 years", "the year ended"); the span keeps the
/// expression itself.
fn trim_span(text: &str, span: Span, c: &Caps<'_>, norm: Norm) -> (Span, bool) {
    let mut start = None;
    let mut end = None;
    match norm {
        Norm::VagueDuration => {
            start = c
                .name(group!("vunit"))
                .or(c.name(group!("vdec")))
                .or(c.name(group!("vunit2")))
                .map(|m| m.start());
            end = c.name(group!("vunit2")).map(|m| m.end());
        }
        // "over the past 20 years": the preposition stays out; so does
        // the article of an adjectival duration ("the five-day war").
        Norm::Duration if c.name(group!("dthe")).is_some() => {
            let dthe = c.name(group!("dthe")).map(|m| m.as_str());
            let num = c.name(group!("num"));
            let hyphen = num
                .is_some_and(|n| c.get(0).is_some_and(|w| w.as_str()[n.end()..].starts_with('-')));
            if hyphen && matches!(dthe, Some("the" | "The")) {
                start = num.map(|m| m.start());
            } else if let Some(d) = c.name(group!("dmod")) {
                if matches!(d.as_str(), "over" | "Over" | "under" | "Under" | "some" | "Some") {
                    start = c.name(group!("dthe")).map(|m| m.start());
                }
            }
        }
        Norm::TheYear => end = c.name(group!("yend")).map(|m| m.start()),
        // "the third-quarter results": the article goes with the noun.
        Norm::Quarter => {
            if let (Some(t), Some(q)) = (c.name(group!("qthe")), c.name(group!("qn"))) {
                let w = c.get(0).map_or("", |w| w.as_str());
                if w[q.end()..].starts_with('-') {
                    start = Some(t.end());
                }
            }
        }
        _ => {}
    }
    let _ = text;
    let mut out = span;
    if let Some(off) = start.filter(|&o| o > 0) {
        out = Span::new(span.start + off, out.end);
    }
    if let Some(off) = end {
        out = Span::new(out.start, span.start + off);
    }
    (out, out != span)
}

/// A month name without day or year is a date only after a word that
/// introduces a time ("in May", "since March", "last June"), which keeps
/// "May" the verb and "March" the noun out.
fn month_alone_allowed(text: &str, span: Span) -> bool {
    let prev = text[..span.start].trim_end().rsplit([' ', '\n', '(']).next().unwrap_or("");
    let s = span.of(text);
    let qualified = !s.starts_with(|c: char| c.is_uppercase())
        || s.starts_with("Early")
        || s.starts_with("Late")
        || s.starts_with("Mid");
    qualified
        || matches!(
            prev.to_ascii_lowercase().as_str(),
            "in" | "since"
                | "by"
                | "until"
                | "till"
                | "during"
                | "last"
                | "next"
                | "this"
                | "early"
                | "late"
                | "mid"
                | "from"
                | "through"
                | "before"
                | "after"
                | "of"
                | "for"
                | "the"
                | "a"
                | "its"
                | "between"
                | "and"
                | "or"
                | "to"
        ) && !text[span.end..].starts_with(" of ")
}

fn year_allowed(text: &str, span: Span) -> bool {
    let before = &text[..span.start];
    let after = &text[span.end..];
    // (The end bytes compared first: most of the words cannot fit, and a
    // string comparison is a library call.)
    let (last, next) = (before.as_bytes().last(), after.as_bytes().get(..2));
    if YEAR_BLOCK_BEFORE
        .iter()
        .any(|b| b.as_bytes().last().is_none_or(|c| Some(c) == last) && before.ends_with(b))
    {
        return false;
    }
    if YEAR_BLOCK_AFTER.iter().any(|a| {
        a.as_bytes().get(..2).is_none_or(|p| Some(p) == next)
            && after.starts_with(a)
            && (*a != "." || after[1..].starts_with(|c: char| c.is_ascii_digit()))
    }) {
        return false;
    }
    // Part of a longer number ("1,990" or "12.1990") or an identifier.
    if before.ends_with(['-', '/', '_'])
        && before[..before.len() - 1].ends_with(char::is_alphanumeric)
    {
        return false;
    }
    !before.ends_with([',', '.'])
        || !before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
}

/// Words before "a year" / "a day" that make it a rate ("$2 million a
/// year", "four flights a week", "24 hours a day"), not a duration.
fn is_rate(before: &str) -> bool {
    let w = before.trim_end().rsplit([' ', '\n']).next().unwrap_or("");
    let w = w.trim_end_matches([',', ')']);
    w.bytes().any(|b| b.is_ascii_digit())
        || w.ends_with('%')
        || matches!(
            w.to_ascii_lowercase().as_str(),
            "million"
                | "billion"
                | "thousand"
                | "hundred"
                | "times"
                | "percent"
                | "cents"
                | "dollars"
        )
        || (w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && w.chars().all(char::is_lowercase)
            && !matches!(
                w,
                "was" | "has" | "is" | "less" | "this" | "its" | "his" | "perhaps" | "nearly"
            ))
}

static FUTURE_CUE: std::sync::LazyLock<Gated> = std::sync::LazyLock::new(|| {
    Gated::new(r"\b(?:will|'ll|shall|is to|are to|scheduled|due|until|planned|plans|expected to|expects to|is expected|are expected)\b", Regex::new)
        .expect("static regex")
});

/// True when the sentence around `span` (up to a full stop or line
/// break) has a future cue.
fn speaks_of_future(text: &str, span: Span) -> bool {
    // The sentence around the date, looked at within 300 bytes on each side
    // (a very long line must not make every date rescan it).
    let mut lo = span.start.saturating_sub(300);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (span.end + 300).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let from = lo + sentence_start(&text.as_bytes()[lo..span.start]);
    let to = span.end + sentence_end(&text.as_bytes()[span.end..hi]);
    FUTURE_CUE.is_match(&text[from..to])
}

/// Where the sentence that runs to the end of `before` starts: just after
/// its last ". " or line break, whichever comes later, else 0. One
/// backward byte scan that stops at the nearest break (the later of the
/// two breaks is the one whose first byte comes later, as ". " cannot
/// overlap a line break).
fn sentence_start(before: &[u8]) -> usize {
    for k in (0..before.len()).rev() {
        match before[k] {
            b'\n' => return k + 1,
            b'.' if before.get(k + 1) == Some(&b' ') => return k + 2,
            _ => {}
        }
    }
    0
}

/// Where the sentence that starts `after` ends: at its first ". " or line
/// break, whichever comes first, else the length of `after`.
fn sentence_end(after: &[u8]) -> usize {
    (0..after.len())
        .find(|&k| after[k] == b'\n' || (after[k] == b'.' && after.get(k + 1) == Some(&b' ')))
        .unwrap_or(after.len())
}

/// Context guards of the rules that need the text around the match.
fn context_allowed(norm: Norm, text: &str, span: Span) -> bool {
    let s = span.of(text);
    let before = &text[..span.start];
    let after = &text[span.end..];
    // "the year-earlier $4.5 million", "the quarter-to-quarter comparison":
    // the words are part of a compound.
    if matches!(
        norm,
        Norm::TheYear | Norm::QuarterAnaphoric | Norm::RelativeUnit | Norm::Anaphoric | Norm::Half
    ) && after.starts_with('-')
        && after[1..].starts_with(char::is_alphabetic)
    {
        return false;
    }
    match norm {
        Norm::Duration => {
            // "the Six-Day War": part of a name.
            if s.starts_with(char::is_uppercase)
                && s.contains('-')
                && after.starts_with(' ')
                && after[1..].starts_with(char::is_uppercase)
            {
                return false;
            }
            // Ages ("a 6-year-old boy", "52 years old") and compounds ("a
            // year-earlier loss") are not durations.
            if after.starts_with(" old")
                || (after.starts_with('-') && after[1..].starts_with(char::is_alphabetic))
            {
                return false;
            }
            let l = s.to_ascii_lowercase();
            // "a second group", "one day he will": ordinals and adverbs.
            if matches!(l.as_str(), "a second" | "one second" | "a minute") {
                return false;
            }
            // "three-quarters of its food", "more than a quarter of":
            // fractions, not durations.
            if l.contains("quarter")
                && (after.starts_with(" of ")
                    || l.contains("-quarter")
                    || l.ends_with("a quarter")
                    || l.ends_with("an quarter"))
            {
                return false;
            }
            if (l.starts_with("a ") || l.starts_with("an ")) && l.split(' ').count() == 2 {
                return !is_rate(before);
            }
            true
        }
        Norm::Set => {
            // "the Communist Party daily Granma": a newspaper; "average
            // daily volume", "rise 8% annually": rates.
            let b = before.trim_end();
            !((s.eq_ignore_ascii_case("daily")
                && (b.ends_with("Party") || b.ends_with("party") || b.ends_with("average")))
                || ((s.eq_ignore_ascii_case("annually") || s.eq_ignore_ascii_case("yearly"))
                    && (b.ends_with('%') || b.ends_with("percent"))))
        }
        // "the second half" of a match or a book: only a half with a year,
        // "of the year", or the adjective of financial reports
        // ("first-half profit") is a calendar half.
        Norm::Half => {
            s.contains(|c: char| c.is_ascii_digit())
                || s.ends_with("the year")
                || (s.contains("-half")
                    && after.starts_with(' ')
                    && after[1..].starts_with(char::is_lowercase))
        }
        Norm::Season => {
            // "Prague Spring 1968": a name.
            let prev = before.trim_end().rsplit([' ', '\n']).next().unwrap_or("");
            !(s.starts_with(char::is_uppercase)
                && prev.starts_with(char::is_uppercase)
                && !before.trim_end().ends_with(['.', ':', '(']))
        }
        Norm::MonthYear => {
            // A bare month abbreviation or a month before a capitalized
            // word is a name ("Jan Kavan", "May Day").
            let m = s.rsplit(' ').next().unwrap_or(s);
            let abbrev =
                m.len() <= 4 && !m.ends_with('.') && m != "May" && m != "June" && m != "July";
            let alone = !s.contains(|c: char| c.is_ascii_digit());
            !(alone
                && (abbrev
                    || (after.starts_with(' ')
                        && after[1..].starts_with(char::is_uppercase)
                        && !after[1..].starts_with("The")
                        && !after[1..].starts_with("In"))))
        }
        _ => true,
    }
}

/// How fine a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Year,
    Quarter,
    Month,
    Day,
}

/// The last date the text set, for anaphora.
#[derive(Debug, Clone, Copy)]
struct Granular {
    date: Ymd,
    level: Level,
    /// Set by the text (not the creation time).
    explicit: bool,
}

impl Granular {
    fn day(d: Ymd) -> Granular {
        Granular { date: d, level: Level::Day, explicit: false }
    }
    fn at(y: i32, m: u32, d: u32, level: Level) -> Option<Granular> {
        Some(Granular { date: Ymd::new(y, m, d)?, level, explicit: true })
    }
}

#[derive(Clone, Copy)]
struct Anchor<'t> {
    dct: Option<Ymd>,
    last: Option<Granular>,
    /// The last day the text named or the creation time, for clock times.
    last_day: Option<Ymd>,
    /// The last calendar quarter the text named, for "the quarter".
    last_quarter: Option<(i32, i32)>,
    /// The text and span of the expression being normalized, whose
    /// sentence may speak of the future ("will", "is scheduled", "until"):
    /// a yearless month or day is then the next one. Only a period without
    /// a year asks (see [`Anchor::year_for`]), so the sentence is searched
    /// only then; `None`: not the future.
    future: Option<(&'t str, Span)>,
}

impl Anchor<'_> {
    /// The year of an expression that names a period of the year without
    /// one ("Oct. 31", "December", "the fourth quarter"): with a creation
    /// time, the occurrence nearest to it, preferring the past unless the
    /// future one is `margin` days closer (news reports mostly look back);
    /// without one, the year of the last date the text set.
    fn year_for(&self, margin: i64, period: impl Fn(i32) -> Option<(Ymd, Ymd)>) -> Option<i32> {
        let Some(d) = self.dct else { return self.last.map(|g| g.date.y) };
        let margin = if self.future.is_some_and(|(text, span)| speaks_of_future(text, span)) {
            -60
        } else {
            margin
        };
        let dd = d.to_days();
        let mut past: Option<(i64, i32)> = None;
        let mut future: Option<(i64, i32)> = None;
        for y in d.y - 1..=d.y + 1 {
            let Some((s, e)) = period(y) else { continue };
            if s.to_days() <= dd {
                let dist = (dd - e.to_days() + 1).max(0);
                if past.is_none_or(|(p, _)| dist <= p) {
                    past = Some((dist, y));
                }
            } else {
                let dist = s.to_days() - dd;
                if future.is_none_or(|(f, _)| dist < f) {
                    future = Some((dist, y));
                }
            }
        }
        match (past, future) {
            (Some((p, py)), Some((f, fy))) => Some(if f + margin < p { fy } else { py }),
            (Some((_, y)), None) | (None, Some((_, y))) => Some(y),
            (None, None) => Some(d.y),
        }
    }

    /// The reference for anaphora: the last date set, else the DCT.
    fn base(&self) -> Option<Granular> {
        self.last.or(self.dct.map(Granular::day))
    }
}

struct Normalized {
    label: &'static str,
    value: String,
    modifier: Option<&'static str>,
    sets_anchor: Option<Granular>,
}

fn date(
    value: String,
    modifier: Option<&'static str>,
    anchor: Option<Granular>,
) -> Option<Normalized> {
    Some(Normalized { label: "DATE", value, modifier, sets_anchor: anchor })
}

fn month_period(m: u32) -> impl Fn(i32) -> Option<(Ymd, Ymd)> {
    move |y| {
        let s = Ymd::new(y, m, 1)?;
        let e = if m == 12 { Ymd::new(y + 1, 1, 1)? } else { Ymd::new(y, m + 1, 1)? };
        Some((s, e))
    }
}

fn quarter_period(q: u32) -> impl Fn(i32) -> Option<(Ymd, Ymd)> {
    move |y| {
        let s = Ymd::new(y, 3 * q - 2, 1)?;
        let e = if q == 4 { Ymd::new(y + 1, 1, 1)? } else { Ymd::new(y, 3 * q + 1, 1)? };
        Some((s, e))
    }
}

fn quarter_value(y: i32, q: i32) -> String {
    let idx = y * 4 + q - 1;
    format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1)
}

/// `format!("{y:04}")` (a year value), written without the formatting
/// machinery.
fn year_value(y: i32) -> String {
    let mut out = String::with_capacity(4);
    timex::push_padded(&mut out, i64::from(y), 4);
    out
}

/// `format!("{y:04}-{m:02}")` (a month value), or `format!("XXXX-{m:02}")`
/// without a year, written without the formatting machinery.
fn month_value_of(y: Option<i64>, m: i64) -> String {
    let mut out = String::with_capacity(7);
    match y {
        Some(y) => timex::push_padded(&mut out, y, 4),
        None => out.push_str("XXXX"),
    }
    out.push('-');
    timex::push_padded(&mut out, m, 2);
    out
}

/// The month `m` months into year `y` (`m` may run past 1–12 either way).
fn month_value(y: i64, m: i64) -> String {
    let idx = y * 12 + m - 1;
    month_value_of(Some(idx.div_euclid(12)), idx.rem_euclid(12) + 1)
}

/// A year written in digits or words ("1996", "nineteen ninety-six").
fn parse_year(s: &str) -> Option<i32> {
    if let Ok(y) = s.parse::<i32>() {
        return Some(y);
    }
    let l = s.to_ascii_lowercase().replace('-', " ");
    let rest = l.strip_prefix("nineteen ")?;
    let rest = rest.strip_prefix("hundred ").unwrap_or(rest);
    let rest = rest.strip_prefix("and ").unwrap_or(rest);
    let rest = rest.strip_prefix("oh ").unwrap_or(rest);
    let n = word_number(rest).or_else(|| {
        let (a, b) = rest.split_once(' ')?;
        Some(word_number(a)? + word_number(b)?)
    })?;
    (0..100).contains(&n).then_some(1900 + n as i32)
}

/// The date of a named holiday in year `y`.
fn holiday(name: &str, y: i32) -> Option<Ymd> {
    let l = name.to_ascii_lowercase();
    // The n-th weekday `wd` of month `m` (n = 5: the last).
    let nth = |m: u32, wd: u32, n: u32| -> Option<Ymd> {
        if n == 5 {
            let last = Ymd::new(y, m, crate::timex::days_in_month(y, m))?;
            let back = (i64::from(last.weekday()) - i64::from(wd)).rem_euclid(7);
            return Some(last.add_days(-back));
        }
        let first = Ymd::new(y, m, 1)?;
        let fwd = (i64::from(wd) - i64::from(first.weekday())).rem_euclid(7);
        Some(first.add_days(fwd + 7 * (i64::from(n) - 1)))
    };
    let easter = || {
        // Anonymous Gregorian algorithm.
        let a = y % 19;
        let b = y / 100;
        let c = y % 100;
        let d = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        Ymd::new(y, month as u32, day as u32)
    };
    if l.starts_with("thanksgiving") {
        nth(11, 4, 4)
    } else if l == "christmas eve" {
        Ymd::new(y, 12, 24)
    } else if l.starts_with("christmas") {
        Ymd::new(y, 12, 25)
    } else if l == "new year's eve" {
        Ymd::new(y, 12, 31)
    } else if l.starts_with("new year") {
        Ymd::new(y, 1, 1)
    } else if l.starts_with("election") {
        nth(11, 1, 1).map(|d| d.add_days(1))
    } else if l.starts_with("independence") {
        Ymd::new(y, 7, 4)
    } else if l.starts_with("labor") {
        nth(9, 1, 1)
    } else if l.starts_with("memorial") {
        nth(5, 1, 5)
    } else if l.starts_with("veterans") {
        Ymd::new(y, 11, 11)
    } else if l.starts_with("halloween") {
        Ymd::new(y, 10, 31)
    } else if l.starts_with("valentine") {
        Ymd::new(y, 2, 14)
    } else if l.starts_with("good friday") {
        easter().map(|d| d.add_days(-2))
    } else {
        easter()
    }
}
fn month_num(s: &str) -> Option<u32> {
    // The first three characters, lowercased in place (ASCII lowercasing
    // keeps every byte where it is, so these are the first three of the
    // lowercased name).
    let k = s.trim_end_matches('.').get(..3)?.as_bytes();
    let m = match [k[0], k[1], k[2]].map(|b| b.to_ascii_lowercase()) {
        [b'j', b'a', b'n'] => 1,
        [b'f', b'e', b'b'] => 2,
        [b'm', b'a', b'r'] => 3,
        [b'a', b'p', b'r'] => 4,
        [b'm', b'a', b'y'] => 5,
        [b'j', b'u', b'n'] => 6,
        [b'j', b'u', b'l'] => 7,
        [b'a', b'u', b'g'] => 8,
        [b's', b'e', b'p'] => 9,
        [b'o', b'c', b't'] => 10,
        [b'n', b'o', b'v'] => 11,
        [b'd', b'e', b'c'] => 12,
        _ => return None,
    };
    Some(m)
}

fn word_number(s: &str) -> Option<i64> {
    let l = s.to_ascii_lowercase();
    if let Ok(n) = l.parse::<i64>() {
        return Some(n);
    }
    let unit = |w: &str| -> Option<i64> {
        Some(match w {
            "a" | "an" | "one" => 1,
            "a couple of" | "couple of" => 2,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "thirteen" => 13,
            "fourteen" => 14,
            "fifteen" => 15,
            "sixteen" => 16,
            "seventeen" => 17,
            "eighteen" => 18,
            "nineteen" => 19,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            "a hundred" => 100,
            _ => return None,
        })
    };
    if let Some(n) = unit(&l) {
        return Some(n);
    }
    let (a, b) = l.split_once(['-', ' '])?;
    Some(unit(a)? + unit(b)?)
}

fn ordinal_number(s: &str) -> Option<i32> {
    let l = s.to_ascii_lowercase();
    let digits: String = l.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    const WORDS: &[&str] = &[
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "twenty-first",
    ];
    WORDS.iter().position(|w| *w == l).map(|i| i as i32 + 1)
}

fn qual_mod(q: Option<&str>) -> Option<&'static str> {
    let q = q?.to_ascii_lowercase();
    if q.contains("early") || q.contains("start") || q.contains("beginning") {
        Some("START")
    } else if q.contains("mid") || q.contains("middle") {
        Some("MID")
    } else if q.contains("late") || q.contains("end") || q.contains("close") {
        Some("END")
    } else {
        None
    }
}

fn unit_code(u: &str) -> (&'static str, bool) {
    let u = u.to_ascii_lowercase();
    let u = u.trim_end_matches('s');
    match u {
        "centurie" | "century" => ("CE", false),
        "decade" => ("DE", false),
        "quarter" => ("Q", false),
        "year" => ("Y", false),
        "month" => ("M", false),
        "week" => ("W", false),
        "day" => ("D", false),
        "hour" => ("H", true),
        "minute" => ("M", true),
        _ => ("S", true),
    }
}

fn duration_value(n: Option<i64>, unit: &str) -> String {
    let (code, time) = unit_code(unit);
    let mut out = String::with_capacity(8);
    out.push_str(if time { "PT" } else { "P" });
    match n {
        Some(n) => timex::push_padded(&mut out, n, 0),
        None => out.push('X'),
    }
    out.push_str(code);
    out
}

fn dmod_mod(m: Option<&str>) -> Option<&'static str> {
    Some(match m?.to_ascii_lowercase().as_str() {
        "more than" | "over" => "MORE_THAN",
        "less than" | "under" => "LESS_THAN",
        "at least" => "EQUAL_OR_MORE",
        "no more than" | "at most" | "up to" => "EQUAL_OR_LESS",
        _ => "APPROX",
    })
}

fn weekday_num(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|w| l.starts_with(w))
        .map(|i| i as u32 + 1)
}

/// The weekday nearest to `dct` in the given direction (0: the most recent
/// one, or `dct` itself; 1: the next; -1: the previous week's).
fn weekday_near(dct: Ymd, wd: u32, dir: i32) -> Ymd {
    let cur = dct.weekday() as i64;
    let wd = wd as i64;
    match dir {
        1 => {
            let d = (wd - cur).rem_euclid(7);
            dct.add_days(if d == 0 { 7 } else { d })
        }
        _ => {
            let d = (cur - wd).rem_euclid(7);
            dct.add_days(-if dir < 0 && d == 0 { 7 } else { d })
        }
    }
}

fn g(m: Option<Part<'_>>) -> Option<&str> {
    m.map(|m| m.as_str())
}

fn season_code(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "spring" => "SP",
        "summer" => "SU",
        "winter" => "WI",
        _ => "FA",
    }
}

/// `mod` of a leading "early", "late", "the end of", …
fn pre_mod(p: Option<&str>) -> Option<&'static str> {
    let p = p?.to_ascii_lowercase();
    if p == "earlier" || p == "later" || p == "sometime" {
        None
    } else {
        qual_mod(Some(&p))
    }
}

/// `value` of a date `n` units from `b`, at the granularity of `b` where
/// the unit allows it (a year before a day is a day, a year before a
/// quarter a quarter).
fn shift(b: Granular, code: &str, n: i64) -> Option<(String, Granular)> {
    let d = b.date;
    let y = i64::from(d.y);
    let m = i64::from(d.m);
    let out = match (code, b.level) {
        ("Y", Level::Day) | ("DE", Level::Day) | ("CE", Level::Day) => {
            let years = n * match code {
                "DE" => 10,
                "CE" => 100,
                _ => 1,
            };
            let ny = (y + years) as i32;
            let day = Ymd::new(ny, d.m, d.d.min(crate::timex::days_in_month(ny, d.m)))?;
            if code == "Y" && b.explicit {
                (day.iso(), Granular { date: day, level: Level::Day, explicit: true })
            } else {
                (year_value(ny), Granular { date: day, level: Level::Year, explicit: true })
            }
        }
        ("Y", Level::Quarter) => {
            let ny = (y + n) as i32;
            let q = (d.m as i32 - 1) / 3 + 1;
            (quarter_value(ny, q), Granular::at(ny, d.m, 1, Level::Quarter)?)
        }
        ("Y", Level::Month) => {
            let ny = (y + n) as i32;
            (format!("{ny:04}-{:02}", d.m), Granular::at(ny, d.m, 1, Level::Month)?)
        }
        ("Y", _) | ("DE", _) | ("CE", _) => {
            let years = n * match code {
                "DE" => 10,
                "CE" => 100,
                _ => 1,
            };
            let ny = (y + years) as i32;
            (year_value(ny), Granular::at(ny, 1, 1, Level::Year)?)
        }
        ("Q", l) if l >= Level::Quarter => {
            let q = (d.m as i32 - 1) / 3 + 1 + n as i32;
            let v = quarter_value(d.y, q);
            let idx = d.y * 4 + q - 1;
            (
                v,
                Granular::at(
                    idx.div_euclid(4),
                    (idx.rem_euclid(4) * 3 + 1) as u32,
                    1,
                    Level::Quarter,
                )?,
            )
        }
        ("M", l) if l >= Level::Month => {
            let v = month_value(y, m + n);
            let idx = y * 12 + m - 1 + n;
            (
                v,
                Granular::at(
                    idx.div_euclid(12) as i32,
                    (idx.rem_euclid(12) + 1) as u32,
                    1,
                    Level::Month,
                )?,
            )
        }
        ("W", Level::Day) if b.explicit => {
            let nd = d.add_days(7 * n);
            (nd.iso(), Granular { date: nd, level: Level::Day, explicit: true })
        }
        ("W", Level::Day) => {
            let nd = d.add_days(7 * n);
            let (wy, w) = nd.iso_week();
            (format!("{wy:04}-W{w:02}"), Granular { date: nd, level: Level::Day, explicit: true })
        }
        ("D", Level::Day) => {
            let nd = d.add_days(n);
            (nd.iso(), Granular { date: nd, level: Level::Day, explicit: true })
        }
        _ => return None,
    };
    Some(out)
}

fn normalize(norm: Norm, c: &Caps<'_>, anchor: &Anchor<'_>) -> Option<Normalized> {
    let year = g(c.name(group!("year"))).and_then(parse_year);
    let yfmt = |y: Option<i32>| y.map_or("XXXX".to_string(), year_value);
    let last_year = || anchor.base().map(|g| g.date.y);
    match norm {
        Norm::FullDate => {
            let m = month_num(g(c.name(group!("month")))?)?;
            let d: u32 = g(c.name(group!("day")))?.parse().ok()?;
            let y = year.or_else(|| {
                anchor.year_for(100, |y| {
                    let day = Ymd::new(y, m, d)?;
                    Some((day, day.add_days(1)))
                })
            });
            if let Some(y) = y {
                let day = Ymd::new(y, m, d)?;
                date(
                    day.iso(),
                    None,
                    Some(Granular { date: day, level: Level::Day, explicit: true }),
                )
            } else {
                (d <= 31).then_some(())?;
                date(format!("XXXX-{m:02}-{d:02}"), None, None)
            }
        }
        Norm::DayRange => {
            let m2 = g(c.name(group!("month2"))).and_then(month_num);
            let m = g(c.name(group!("month"))).and_then(month_num).or(m2)?;
            let m2 = m2.unwrap_or(m);
            let dd1: u32 = g(c.name(group!("day")))?.parse().ok()?;
            let y = year.or_else(|| {
                anchor.year_for(100, |y| {
                    let day = Ymd::new(y, m, dd1)?;
                    Some((day, day.add_days(1)))
                })
            })?;
            let d1 = Ymd::new(y, m, dd1)?;
            let d2 = Ymd::new(y, m2, g(c.name(group!("day2")))?.parse().ok()?)?;
            (d1 < d2).then_some(())?;
            date(
                format!("{}/{}", d1.iso(), d2.iso()),
                None,
                Some(Granular { date: d1, level: Level::Day, explicit: true }),
            )
        }
        Norm::MonthRange => {
            let m1 = month_num(g(c.name(group!("month")))?)?;
            let m2 = month_num(g(c.name(group!("month2")))?)?;
            let y = year?;
            let y2 = g(c.name(group!("year2"))).and_then(parse_year).unwrap_or(y);
            ((y, m1) < (y2, m2)).then_some(())?;
            date(
                format!("{y:04}-{m1:02}/{y2:04}-{m2:02}"),
                None,
                Granular::at(y, m1, 1, Level::Month),
            )
        }
        Norm::MonthYear => {
            let m = month_num(g(c.name(group!("month")))?)?;
            let y = year.or_else(|| anchor.year_for(100, month_period(m)));
            let modifier = qual_mod(g(c.name(group!("qual"))));
            match y {
                Some(y) => date(
                    month_value_of(Some(y.into()), m.into()),
                    modifier,
                    Granular::at(y, m, 1, Level::Month),
                ),
                None => date(month_value_of(None, m.into()), modifier, None),
            }
        }
        Norm::MonthRel => {
            let m = month_num(g(c.name(group!("month"))).or(g(c.name(group!("month2"))))?)?;
            let modifier = qual_mod(g(c.name(group!("qual"))));
            if g(c.name(group!("mrel"))).is_some_and(|r| r.eq_ignore_ascii_case("that")) {
                let Some(b) = anchor.base() else {
                    return date(month_value_of(None, m.into()), modifier, None);
                };
                let y = b.date.y;
                return date(
                    month_value_of(Some(y.into()), m.into()),
                    modifier,
                    Granular::at(y, m, 1, Level::Month),
                );
            }
            let Some(d) = anchor.dct else {
                return date(month_value_of(None, m.into()), modifier, None);
            };
            let y = if let Some(r) = g(c.name(group!("mrel2"))) {
                d.y + match r {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                }
            } else {
                match g(c.name(group!("mrel")))?.to_ascii_lowercase().as_str() {
                    "last" | "this past" => {
                        if m < d.m {
                            d.y
                        } else {
                            d.y - 1
                        }
                    }
                    "next" | "this coming" => {
                        if m > d.m {
                            d.y
                        } else {
                            d.y + 1
                        }
                    }
                    _ => d.y,
                }
            };
            date(
                month_value_of(Some(y.into()), m.into()),
                modifier,
                Granular::at(y, m, 1, Level::Month),
            )
        }
        Norm::YearRange => {
            let y1 = year?;
            let y2s = g(c.name(group!("year2")))?;
            let y2: i32 = if y2s.len() == 2 {
                let base = y1 / 100 * 100 + y2s.parse::<i32>().ok()?;
                if base <= y1 {
                    base + 100
                } else {
                    base
                }
            } else {
                y2s.parse().ok()?
            };
            (y1 < y2 && y2 - y1 <= 100).then_some(())?;
            date(format!("{y1:04}/{y2:04}"), None, Granular::at(y1, 1, 1, Level::Year))
        }
        Norm::Decade => {
            let modifier = qual_mod(g(c.name(group!("qual"))));
            let dec = if let Some(d) = g(c.name(group!("decade"))) {
                d[..3].to_string()
            } else if let Some(d) = g(c.name(group!("decade2"))) {
                format!("19{}", &d[..1])
            } else {
                let w = g(c.name(group!("decadeword")))?.to_ascii_lowercase();
                let idx = [
                    "twenties",
                    "thirties",
                    "forties",
                    "fifties",
                    "sixties",
                    "seventies",
                    "eighties",
                    "nineties",
                ]
                .iter()
                .position(|x| *x == w)?;
                format!("19{}", idx + 2)
            };
            date(dec, modifier, None)
        }
        Norm::Century => {
            let n = ordinal_number(g(c.name(group!("ordinal")))?)?;
            (1..=21).contains(&n).then_some(())?;
            date(format!("{:02}", n - 1), qual_mod(g(c.name(group!("qual")))), None)
        }
        Norm::Season => {
            let s = season_code(g(c.name(group!("season")))?);
            let q = g(c.name(group!("squal"))).map(|q| {
                if q.eq_ignore_ascii_case("early") {
                    "START"
                } else {
                    "END"
                }
            });
            date(format!("{}-{s}", yfmt(year)), q, None)
        }
        Norm::Quarter => {
            let q = match g(c.name(group!("qn")))
                .or(g(c.name(group!("qd"))))?
                .to_ascii_lowercase()
                .as_str()
            {
                "first" | "1st" | "1" => 1,
                "second" | "2nd" | "2" => 2,
                "third" | "3rd" | "3" => 3,
                _ => 4,
            };
            let y = if let Some(y) = year
                .or(g(c.name(group!("qyear"))).and_then(parse_year))
                .or(g(c.name(group!("qdy"))).and_then(parse_year))
            {
                Some(y)
            } else if let Some(r) = g(c.name(group!("qrel"))) {
                let d = anchor.dct?;
                Some(
                    d.y + match r.to_ascii_lowercase().as_str() {
                        "last" => -1,
                        "next" => 1,
                        _ => 0,
                    },
                )
            } else {
                anchor.year_for(180, quarter_period(q))
            };
            let y = if c.name(group!("qprev")).is_some() { y.map(|y| y - 1) } else { y };
            let anchor = if c.name(group!("qprev")).is_some() {
                None
            } else {
                y.and_then(|y| Granular::at(y, 3 * q - 2, 1, Level::Quarter))
            };
            date(format!("{}-Q{q}", yfmt(y)), None, anchor)
        }
        Norm::QuarterAnaphoric => {
            let qa = g(c.name(group!("qa"))).map(str::to_ascii_lowercase);
            let unit = g(c.name(group!("qu"))).or(g(c.name(group!("qu2"))));
            // "the period" alone is too vague.
            if unit == Some("period") && qa.is_none() && c.name(group!("qy")).is_none() {
                return None;
            }
            // A bare "year-earlier" outside quarterly reporting is the year.
            if c.name(group!("qye")).is_some() && unit.is_none() && anchor.last_quarter.is_none() {
                let y = anchor.base()?.date.y - 1;
                return date(year_value(y), None, None);
            }
            let current = c.name(group!("qthis")).is_some() || qa.as_deref() == Some("current");
            let base: Option<(i32, i32)> = if current {
                anchor.dct.map(|d| (d.y, (d.m as i32 - 1) / 3 + 1))
            } else if let Some(q) = anchor
                .last_quarter
                .filter(|_| !matches!(qa.as_deref(), Some("latest" | "most recent" | "recent")))
            {
                Some(q)
            } else {
                anchor.dct.map(|d| {
                    let idx = d.y * 4 + (d.m as i32 - 1) / 3 - 1;
                    (idx.div_euclid(4), idx.rem_euclid(4) + 1)
                })
            };
            let Some((mut y, mut q)) = base else {
                return date("XXXX-QX".into(), None, None);
            };
            let year_back = c.name(group!("qye")).is_some()
                || c.name(group!("qago")).is_some()
                || matches!(qa.as_deref(), Some("year-earlier" | "year-ago" | "prior-year"));
            if year_back {
                y -= 1;
            } else if matches!(qa.as_deref(), Some("previous" | "preceding" | "past" | "last")) {
                q -= 1;
            }
            if let Some(qy) = g(c.name(group!("qy"))).and_then(parse_year) {
                y = qy;
            }
            date(quarter_value(y, q), None, None)
        }
        Norm::Half => {
            let h = if g(c.name(group!("hn")))?.eq_ignore_ascii_case("first") { 1 } else { 2 };
            let y = year.or_else(|| {
                if c.name(group!("hthe")).is_some() {
                    last_year()
                } else {
                    anchor.year_for(180, |y| {
                        Some((
                            Ymd::new(y, 6 * h - 5, 1)?,
                            Ymd::new(y + (h as i32 - 1), 7 - 6 * (h - 1), 1)?,
                        ))
                    })
                }
            });
            date(format!("{}-H{h}", yfmt(y)), None, None)
        }
        Norm::QualYear => {
            let y = year?;
            date(
                year_value(y),
                qual_mod(g(c.name(group!("qual")))),
                Granular::at(y, 1, 1, Level::Year),
            )
        }
        Norm::Fiscal => {
            if let Some(f) = g(c.name(group!("fthe"))) {
                let d = anchor.dct?;
                let l = f.to_ascii_lowercase();
                let y = if l.contains("previous") {
                    d.y - 1
                } else if l.contains("next") || l.contains("coming") {
                    d.y + 1
                } else {
                    d.y
                };
                return date(year_value(y), None, None);
            }
            let y = year?;
            date(year_value(y), None, Granular::at(y, 1, 1, Level::Year))
        }
        Norm::Year => {
            if c.name(group!("y2000")).is_some() {
                c.name(group!("ythe"))?;
                return date("2000".into(), None, Granular::at(2000, 1, 1, Level::Year));
            }
            let y = year?;
            date(year_value(y), None, Granular::at(y, 1, 1, Level::Year))
        }
        Norm::TheYear => {
            if c.name(group!("yend")).is_some() {
                return Some(Normalized {
                    label: "DURATION",
                    value: "P1Y".into(),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            let whole = c.get(0)?.as_str().to_ascii_lowercase();
            let modifier = if whole.starts_with("early")
                || whole.contains("start of")
                || whole.contains("beginning of")
            {
                Some("START")
            } else if whole.starts_with("late") && !whole.starts_with("later")
                || whole.contains("end of")
                || c.name(group!("yearend")).is_some()
            {
                Some("END")
            } else if whole.contains("middle of") {
                Some("MID")
            } else {
                None
            };
            date(yfmt(last_year()), modifier, None)
        }
        Norm::Holiday => {
            let name = g(c.name(group!("hol")))?;
            let y = if let Some(y) = year {
                Some(y)
            } else if let (Some(r), Some(d)) = (g(c.name(group!("hrel"))), anchor.dct) {
                let this = holiday(name, d.y)?;
                Some(match r.to_ascii_lowercase().as_str() {
                    "last" if this >= d => d.y - 1,
                    "next" if this <= d => d.y + 1,
                    _ => d.y,
                })
            } else {
                anchor.year_for(100, |y| {
                    let h = holiday(name, y)?;
                    Some((h, h.add_days(1)))
                })
            };
            match y {
                Some(y) => {
                    let d = holiday(name, y)?;
                    date(
                        d.iso(),
                        None,
                        Some(Granular { date: d, level: Level::Day, explicit: true }),
                    )
                }
                None => date("XXXX-XX-XX".into(), None, None),
            }
        }
        Norm::Deictic => {
            let w = c.get(0)?.as_str().to_ascii_lowercase();
            let off = if w.contains("before") {
                -2
            } else if w.contains("after") {
                2
            } else if w.ends_with("yesterday") {
                -1
            } else if w.ends_with("tomorrow") {
                1
            } else {
                0
            };
            let modifier = pre_mod(g(c.name(group!("dpre"))));
            match anchor.dct {
                Some(d) => {
                    let day = d.add_days(off);
                    date(day.iso(), modifier, Some(Granular::day(day)))
                }
                None if off == 0 => date("PRESENT_REF".into(), None, None),
                None => date("XXXX-XX-XX".into(), None, None),
            }
        }
        Norm::Reference => {
            if let Some(u) = g(c.name(group!("recunit"))) {
                if u == "years" {
                    return date("PAST_REF".into(), None, None);
                }
                return Some(Normalized {
                    label: "DURATION",
                    value: duration_value(None, u),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            if let Some(u) = g(c.name(group!("ahunit")))
                .or(g(c.name(group!("comunit"))).filter(|u| matches!(*u, "days" | "weeks")))
            {
                return Some(Normalized {
                    label: "DURATION",
                    value: duration_value(None, u),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            let w = c.get(0)?.as_str().to_ascii_lowercase();
            let v = if w.contains("recent") || w.contains("past") || w.contains("formerly") {
                "PAST_REF"
            } else if w.contains("future") || w.contains("term") || w.contains("coming") {
                "FUTURE_REF"
            } else {
                "PRESENT_REF"
            };
            date(v.into(), None, None)
        }
        Norm::RelativeUnit => {
            let rel = g(c.name(group!("rel")))?.to_ascii_lowercase();
            let off: i32 = match rel.as_str() {
                "last" | "past" | "previous" | "this past" => -1,
                "next" | "coming" | "this coming" => 1,
                _ => 0,
            };
            let modifier = pre_mod(g(c.name(group!("pre"))));
            let unit = g(c.name(group!("runit")))?.to_ascii_lowercase();
            let Some(d) = anchor.dct else {
                return date(
                    if off < 0 {
                        "PAST_REF"
                    } else if off > 0 {
                        "FUTURE_REF"
                    } else {
                        "PRESENT_REF"
                    }
                    .into(),
                    modifier,
                    None,
                );
            };
            let v = match unit.as_str() {
                "year" => format!("{:04}", d.y + off),
                "decade" => format!("{:03}", (d.y / 10) + off),
                "century" => format!("{:02}", (d.y / 100) + off),
                "month" => month_value(i64::from(d.y), i64::from(d.m) + i64::from(off)),
                "week" | "weekend" => {
                    let (y, w) = d.add_days(7 * i64::from(off)).iso_week();
                    if unit == "weekend" {
                        format!("{y:04}-W{w:02}-WE")
                    } else {
                        format!("{y:04}-W{w:02}")
                    }
                }
                "quarter" => quarter_value(d.y, (d.m as i32 - 1) / 3 + 1 + off),
                season => {
                    // "last summer" is the latest one before the DCT.
                    let code = season_code(season);
                    let start_m = match code {
                        "SP" => 3,
                        "SU" => 6,
                        "FA" => 9,
                        _ => 12,
                    };
                    let y = match off {
                        -1 if d.m > start_m + 2 => d.y,
                        -1 => d.y - 1,
                        1 if d.m < start_m => d.y,
                        1 => d.y + 1,
                        _ => d.y,
                    };
                    format!("{y:04}-{code}")
                }
            };
            date(v, modifier, None)
        }
        Norm::Weekday => {
            let wd = weekday_num(g(c.name(group!("weekday")))?)?;
            let dir = match g(c.name(group!("wrel"))).map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("next") | Some("this coming") | Some("the following") => 1,
                Some("last") | Some("past") | Some("this past") | Some("the previous") => -1,
                _ => 0,
            };
            let modifier = pre_mod(g(c.name(group!("wpre"))));
            match anchor.dct {
                Some(d) => {
                    let day = weekday_near(d, wd, dir);
                    date(day.iso(), modifier, Some(Granular::day(day)))
                }
                None => date(format!("XXXX-WXX-{wd}"), modifier, None),
            }
        }
        Norm::PartOfDay => {
            let whole = c.get(0)?.as_str().to_ascii_lowercase();
            let pod = if whole.ends_with("tonight") {
                "NI"
            } else {
                match g(c.name(group!("pod")))? {
                    "morning" => "MO",
                    "afternoon" => "AF",
                    "evening" => "EV",
                    _ => "NI",
                }
            };
            let body = whole
                .split_once(' ')
                .filter(|_| c.name(group!("ppre")).is_some())
                .map_or(whole.as_str(), |x| x.1);
            let base = if let Some(a) = g(c.name(group!("anaph"))) {
                let a = a.to_ascii_lowercase();
                let off = if a.contains("following") || a.contains("next") {
                    1
                } else if a.contains("previous") || a.contains("preceding") {
                    -1
                } else {
                    0
                };
                anchor.last_day.map(|d| d.add_days(off))
            } else {
                anchor.dct.map(|d| {
                    if let Some(wd) = g(c.name(group!("weekday"))).and_then(weekday_num) {
                        weekday_near(d, wd, 0)
                    } else if body.starts_with("yesterday") || body.starts_with("last") {
                        d.add_days(-1)
                    } else if body.starts_with("tomorrow") {
                        d.add_days(1)
                    } else {
                        d
                    }
                })
            };
            let day = base.map_or("XXXX-XX-XX".to_string(), |d| d.iso());
            Some(Normalized {
                label: "TIME",
                value: format!("{day}T{pod}"),
                modifier: None,
                sets_anchor: base.map(Granular::day),
            })
        }
        Norm::Offset => {
            let n = word_number(g(c.name(group!("num")))?);
            let unit = g(c.name(group!("unit")))?;
            let dir = g(c.name(group!("dir")))?.to_ascii_lowercase();
            let sign: i64 = if matches!(dir.as_str(), "earlier" | "ago") { -1 } else { 1 };
            let (code, _) = unit_code(unit);
            let vague =
                || date(if sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.into(), None, None);
            let Some(n) = n else { return vague() };
            let quarter_ctx = anchor.last.filter(|b| b.explicit && b.level == Level::Quarter);
            let base = if dir == "ago" {
                match (quarter_ctx, code) {
                    (Some(q), "Y") => Some(q),
                    _ => {
                        anchor.dct.map(|d| Granular { date: d, level: Level::Day, explicit: false })
                    }
                }
            } else {
                anchor.base()
            };
            let Some(b) = base else { return vague() };
            match shift(b, code, sign * n) {
                Some((v, _)) => date(v, None, None),
                None => {
                    // The unit is finer than the anchor: count from the DCT.
                    let d = anchor.dct.map(Granular::day);
                    match d.and_then(|d| shift(d, code, sign * n)) {
                        Some((v, _)) if dir == "ago" => date(v, None, None),
                        _ => vague(),
                    }
                }
            }
        }
        Norm::Anaphoric => {
            let modifier = pre_mod(g(c.name(group!("pre"))));
            let a = g(c.name(group!("anaph"))).unwrap_or("the").to_ascii_lowercase();
            let off: i64 = if a.contains("following") || a.contains("next") {
                1
            } else if a.contains("previous") || a.contains("preceding") {
                -1
            } else {
                0
            };
            let unit =
                g(c.name(group!("aunit"))).or(g(c.name(group!("aunit2"))))?.to_ascii_lowercase();
            let modifier = modifier.or(qual_mod(g(c.name(group!("aqual")))));
            let Some(b) = anchor.base() else {
                return date("XXXX".into(), modifier, None);
            };
            let d = b.date;
            let v = match unit.as_str() {
                "year" => format!("{:04}", i64::from(d.y) + off),
                "decade" => format!("{:03}", i64::from(d.y) / 10 + off),
                "month" if b.level >= Level::Month => {
                    month_value(i64::from(d.y), i64::from(d.m) + off)
                }
                "week" | "weekend" if b.level >= Level::Day => {
                    let (y, w) = d.add_days(7 * off).iso_week();
                    if unit == "weekend" {
                        format!("{y:04}-W{w:02}-WE")
                    } else {
                        format!("{y:04}-W{w:02}")
                    }
                }
                "day" if b.level >= Level::Day => d.add_days(off).iso(),
                "spring" | "summer" | "autumn" | "fall" | "winter" => {
                    format!("{:04}-{}", i64::from(d.y) + off, season_code(&unit))
                }
                _ => return date("XXXX".into(), modifier, None),
            };
            date(v, modifier, None)
        }
        Norm::Time => {
            let day = if let Some(wd) = g(c.name(group!("weekday"))).and_then(weekday_num) {
                anchor.dct.map(|d| weekday_near(d, wd, 0))
            } else if let Some(m) = g(c.name(group!("month"))).and_then(month_num) {
                let dd: u32 = g(c.name(group!("day")))?.parse().ok()?;
                let y = anchor.year_for(100, |y| {
                    let day = Ymd::new(y, m, dd)?;
                    Some((day, day.add_days(1)))
                });
                y.and_then(|y| Ymd::new(y, m, dd))
            } else if let Some(t) = g(c.name(group!("tday"))) {
                let off = match t {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    _ => 0,
                };
                anchor.dct.map(|d| d.add_days(off))
            } else {
                anchor.last_day
            };
            let day = day.map_or("XXXX-XX-XX".to_string(), |d| d.iso());
            let (h, m) = if let Some(n) = g(c.name(group!("noon"))) {
                (if n == "midnight" { 24 } else { 12 }, 0)
            } else if let Some(h) = g(c.name(group!("hour24"))) {
                (h.parse().ok()?, g(c.name(group!("minute24")))?.parse().ok()?)
            } else {
                let mut h: u32 = g(c.name(group!("hour")))?.parse().ok()?;
                let pm = g(c.name(group!("ampm")))?.to_ascii_lowercase().starts_with('p');
                if pm && h < 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
                (h, g(c.name(group!("minute"))).map_or(Some(0), |m| m.parse().ok())?)
            };
            Some(Normalized {
                label: "TIME",
                value: format!("{day}T{h:02}:{m:02}"),
                modifier: c.name(group!("tapprox")).map(|_| "APPROX"),
                sets_anchor: None,
            })
        }
        Norm::Duration => {
            let modifier =
                dmod_mod(g(c.name(group!("dmod")))).or(c.name(group!("orso")).map(|_| "APPROX"));
            if let Some(u) = g(c.name(group!("punit"))) {
                return Some(Normalized {
                    label: "DURATION",
                    value: duration_value(None, u),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            let num = g(c.name(group!("num")))?;
            let unit = g(c.name(group!("unit")))?;
            let value = if let Some(whole) = num.strip_suffix(" 1/2") {
                half_duration(whole.parse().ok()?, unit)
            } else if c.name(group!("andhalf")).is_some() {
                half_duration(word_number(num)?, unit)
            } else {
                duration_value(word_number(num), unit)
            };
            Some(Normalized { label: "DURATION", value, modifier, sets_anchor: None })
        }
        Norm::VagueDuration => {
            let u = g(c.name(group!("vunit")))
                .or(g(c.name(group!("vdec"))))
                .or(g(c.name(group!("vunit2"))))?;
            Some(Normalized {
                label: "DURATION",
                value: duration_value(None, u),
                modifier: None,
                sets_anchor: None,
            })
        }
        Norm::Set => {
            if let Some(wd) = g(c.name(group!("weekday"))).and_then(weekday_num) {
                let pod = match g(c.name(group!("pod"))) {
                    Some("morning") => "TMO",
                    Some("afternoon") => "TAF",
                    Some("evening") => "TEV",
                    Some(_) => "TNI",
                    None => "",
                };
                return Some(Normalized {
                    label: "SET",
                    value: format!("XXXX-WXX-{wd}{pod}"),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            if let Some(m) = g(c.name(group!("month"))).and_then(month_num) {
                return Some(Normalized {
                    label: "SET",
                    value: month_value_of(None, m.into()),
                    modifier: None,
                    sets_anchor: None,
                });
            }
            let u = if let Some(u) = g(c.name(group!("sunit"))) {
                u.to_ascii_lowercase()
            } else if let Some(a) = g(c.name(group!("sadv"))) {
                match a.to_ascii_lowercase().as_str() {
                    "weekly" => "week".into(),
                    "daily" => "day".into(),
                    "monthly" => "month".into(),
                    "hourly" => "hour".into(),
                    _ => "year".into(),
                }
            } else {
                g(c.name(group!("funit")))?.to_ascii_lowercase()
            };
            let v = match u.as_str() {
                "morning" => "XXXX-XX-XXTMO".to_string(),
                "evening" => "XXXX-XX-XXTEV".to_string(),
                "night" => "XXXX-XX-XXTNI".to_string(),
                "summer" | "winter" | "spring" | "autumn" => "P1Y".to_string(),
                u => duration_value(Some(1), u),
            };
            Some(Normalized { label: "SET", value: v, modifier: None, sets_anchor: None })
        }
    }
}

/// "2 1/2 years" → `P2Y6M`, "1 1/2 hours" → `PT1H30M`.
fn half_duration(n: i64, unit: &str) -> String {
    let (code, time) = unit_code(unit);
    match code {
        "DE" => return format!("P{}Y", n * 10 + 5),
        "CE" => return format!("P{}Y", n * 100 + 50),
        _ => {}
    }
    if time {
        let half = match code {
            "H" => "30M",
            "M" => "30S",
            _ => "",
        };
        format!("PT{n}{code}{half}")
    } else {
        let half = match code {
            "Y" => "6M",
            "M" => "15D",
            "W" => "3DT12H",
            "D" => "T12H",
            _ => "",
        };
        format!("P{n}{code}{half}")
    }
}
/// Ids and examples of every rule, for `annotate check` and the tests.
pub fn rule_examples(
) -> impl Iterator<Item = (&'static str, &'static str, &'static str, &'static str)> {
    RULES.iter().flat_map(|r| r.examples.iter().map(move |(t, s, v)| (r.id, *t, *s, *v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_example_normalizes() {
        let rec = DateRecognizer::new();
        let dct = Ymd::new(1998, 8, 7);
        let mut failures = Vec::new();
        for (id, text, span, value) in rule_examples() {
            let got = rec.recognize(text, &[Span::new(0, text.len())], dct);
            let found = got.iter().find(|a| a.span.of(text) == span);
            match found {
                Some(a) => {
                    let Attrs::Date { value: v, .. } = &a.attrs else { unreachable!() };
                    if v != value {
                        failures.push(format!("{id}: {text:?}: {span:?} → {v}, want {value}"));
                    }
                }
                None => failures.push(format!(
                    "{id}: {text:?}: no span {span:?}; got {:?}",
                    got.iter().map(|a| (a.span.of(text), &a.source)).collect::<Vec<_>>()
                )),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn values_match_format() {
        for y in [0, 7, 42, 999, 1000, 1991, 9999, 10000, -1, -44, -1000] {
            assert_eq!(year_value(y), format!("{y:04}"), "{y}");
            for m in [1, 9, 10, 12] {
                assert_eq!(
                    month_value_of(Some(y.into()), m.into()),
                    format!("{y:04}-{m:02}"),
                    "{y} {m}"
                );
                assert_eq!(month_value_of(None, m.into()), format!("XXXX-{m:02}"), "{m}");
            }
        }
        for n in [None, Some(0), Some(3), Some(12), Some(-1), Some(1_000_000)] {
            for unit in ["year", "hours", "decade", "minute"] {
                let (code, time) = unit_code(unit);
                let n_text = n.map_or("X".to_string(), |n| n.to_string());
                let want =
                    if time { format!("PT{n_text}{code}") } else { format!("P{n_text}{code}") };
                assert_eq!(duration_value(n, unit), want, "{n:?} {unit}");
            }
        }
    }

    #[test]
    fn sentence_bounds_match_string_search() {
        for t in [
            "",
            ".",
            " ",
            ". ",
            "\n",
            "a. b\nc",
            "a\nb. c",
            "end.",
            ".. x",
            "x .\n",
            "no break here",
            "one. two. three",
            "line\n\n",
            "U.S. officials",
        ] {
            let old_start =
                t.rfind(". ").map_or(0, |k| k + 2).max(t.rfind('\n').map_or(0, |k| k + 1));
            assert_eq!(sentence_start(t.as_bytes()), old_start, "{t:?}");
            let old_end =
                [t.find(". "), t.find('\n')].into_iter().flatten().min().unwrap_or(t.len());
            assert_eq!(sentence_end(t.as_bytes()), old_end, "{t:?}");
        }
    }

    /// Edge-case texts for the checks of fast code against the code it
    /// replaced: non-ASCII letters and digits next to the words, empty
    /// text, matches at the very end.
    const EDGE_TEXTS: &[&str] = &[
        "",
        "in 1990",
        "in 1990.",
        "Café 1990 and in 1991",
        "née in 1990é",
        "écrit in 1989, in 1989 and Nov. 9, 1989",
        "in 1990s or in 19901",
        "Москва in 1999 — Ноябрь 1999",
        "مدينة in 2001 ٢٠٠١ Oct. ٩, 2001",
        "🎉 in 2004 🎉in 2005🎉",
        "xin 1990 _in 1991 9in 1992",
        "Oct. 9, 1989",
        "Septembers 1999 and Mayé 2000",
        "mid-1990 and mid 1991 and €1992",
        "since 2010\nuntil 2011",
    ];

    #[test]
    fn years_in_text_match_the_original_regex() {
        for t in EDGE_TEXTS {
            let old: Vec<(usize, usize)> =
                YEAR_IN_TEXT.find_iter(t).map(|m| (m.start(), m.end())).collect();
            let new: Vec<(usize, usize)> = years_in_text(t).collect();
            assert_eq!(new, old, "{t:?}");
            // The year group is the match's last four bytes.
            for (c, (_, end)) in YEAR_IN_TEXT.captures_iter(t).zip(&new) {
                assert_eq!(c.get(1).map(|m| m.end() - m.start()), Some(4), "{t:?}");
                assert_eq!(c.get(1).map(|m| m.end()), Some(*end), "{t:?}");
            }
        }
    }

    #[test]
    fn month_num_matches_lowercased_prefix() {
        let old = |s: &str| -> Option<u32> {
            let k = s.trim_end_matches('.').to_ascii_lowercase();
            let names = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            names.iter().position(|n| k.get(..3) == Some(*n)).map(|i| i as u32 + 1)
        };
        for s in [
            "", ".", "Ja", "Jan", "jan.", "JAN", "January", "Sept.", "Sep", "May", "mAy...", "Dec",
            "Dé", "Déc", "éja", "Jané", "Ja€", "Янв", "🎉", "Ma", "Mar", "Nov.", "Oct", "June",
            "Jul.", "Aug", "Apr.", "Feb",
        ] {
            assert_eq!(month_num(s), old(s), "{s:?}");
        }
    }

    #[test]
    fn year_guard_matches_plain_search() {
        // `year_allowed` as it was, before the end-byte tests.
        let old = |text: &str, span: Span| -> bool {
            let before = &text[..span.start];
            let after = &text[span.end..];
            if YEAR_BLOCK_BEFORE.iter().any(|b| before.ends_with(b)) {
                return false;
            }
            if YEAR_BLOCK_AFTER.iter().any(|a| {
                after.starts_with(a)
                    && (*a != "." || after[1..].starts_with(|c: char| c.is_ascii_digit()))
            }) {
                return false;
            }
            if before.ends_with(['-', '/', '_'])
                && before[..before.len() - 1].ends_with(char::is_alphanumeric)
            {
                return false;
            }
            !before.ends_with([',', '.'])
                || !before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
        };
        for t in [
            "1990",
            "$1990",
            "€1990",
            "£1990 ",
            "No. 1990 percent",
            "in 1990%",
            "in 1990 km²",
            "in 1990 km",
            "Boeing 1990.5",
            "in 1990.",
            "in 1990,000",
            "é1990é",
            "about 1990 troops",
            "T-1990-member",
            "Москва 1990 годы",
            "🎉1990🎉",
            "x 1990 p",
            "p. 1990",
            "a-1990",
            "3,1990",
            "1990 ",
            " 1990",
        ] {
            let k = t.find("1990").unwrap();
            let span = Span::new(k, k + 4);
            assert_eq!(year_allowed(t, span), old(t, span), "{t:?}");
        }
    }

    #[test]
    fn match_limit_matches_line_search() {
        let old = |text: &str, end: usize| -> usize {
            let line_end = text[end..].find('\n').map_or(text.len(), |k| end + k);
            let mut e = line_end.min(end + 60);
            while !text.is_char_boundary(e) {
                e -= 1;
            }
            e
        };
        let long = "a".repeat(70);
        let long_e = "é".repeat(40);
        let emoji = format!("{}🎉🎉🎉", "b".repeat(58));
        for t in [
            "",
            "x",
            "ab\ncd",
            "\n",
            long.as_str(),
            long_e.as_str(),
            emoji.as_str(),
            "Москва\nПариж",
            "مدينة جميلة جدا جدا جدا جدا جدا جدا جدا جدا جدا",
        ] {
            for end in (0..=t.len()).filter(|&e| t.is_char_boundary(e)) {
                assert_eq!(match_limit(t, end), old(t, end), "{t:?} {end}");
            }
        }
    }

    #[test]
    fn group_reads_match_named_captures() {
        let rec = DateRecognizer::new();
        let mut texts: Vec<&str> = rule_examples().map(|(_, _, span, _)| span).collect();
        texts.extend(["", "é", "Café 1990", "🎉"]);
        // Spans too long for the backtracker go to the Pike VM.
        let long = format!("{} days", "1".repeat(5000));
        let long_e = format!("{} Ноябрь 1999", "é".repeat(3000));
        texts.extend([long.as_str(), long_e.as_str(), &long[4990..]]);
        // Spans at the memo's length limit (254 bytes are kept, 255 not).
        let at_limit = [format!("{} days", "1".repeat(249)), format!("{} days", "1".repeat(250))];
        assert_eq!((at_limit[0].len(), at_limit[1].len()), (254, 255));
        texts.extend(at_limit.iter().map(String::as_str));
        for rule in &rec.rules {
            let re = compile(&rule.re.pattern).unwrap();
            let mut scratch = None;
            // Twice: the second round reads the memo of the first.
            for t in texts.iter().chain(&texts) {
                let old = re.captures(t);
                let found = rule.re.captures(&mut scratch, t);
                assert_eq!(found.is_some(), old.is_some(), "{} {t:?}", rule.id);
                let (Some(old), Some(slots)) = (old, found) else { continue };
                let c = Caps { hay: t, slots, groups: rule.groups() };
                let part =
                    |m: Option<Part<'_>>| m.map(|m| (m.start(), m.end(), m.as_str().to_string()));
                let old_part = |m: Option<regex::Match<'_>>| {
                    m.map(|m| (m.start(), m.end(), m.as_str().to_string()))
                };
                assert_eq!(part(c.get(0)), old_part(old.get(0)), "{} {t:?}", rule.id);
                for (k, name) in GROUP_NAMES.iter().enumerate() {
                    assert_eq!(
                        part(c.name(k)),
                        old_part(old.name(name)),
                        "{} {t:?} {name}",
                        rule.id
                    );
                }
            }
        }
    }

    #[test]
    fn ascii_prefixes_match_on_text_without_non_ascii_words() {
        for (t, want) in [
            ("", false),
            ("in 1990", false),
            ("May’s “plan” — 1990–91 at 5\u{a0}p.m. €5 🎉", false),
            ("Café 1990", true),
            ("Москва", true),
            ("٢٠٠١", true),
            ("x\u{301}", true),
        ] {
            assert_eq!(has_non_ascii_word(t), want, "{t:?}");
        }
        let rec = DateRecognizer::new();
        let mut texts: Vec<String> = rule_examples().map(|(t, _, _, _)| t.to_string()).collect();
        texts.extend(
            [
                "May’s plan",
                "in 1990’s “war”",
                "the ’80s—and",
                "the 1980s’",
                "March—April 1991",
                "5 p.m.\u{a0}EST",
                "Tuesday€ and 1991🎉",
                "two years’ time",
                "1987–88’",
                "",
                "Nov. 9—",
                "mid-’90s",
                "the year’s end",
            ]
            .map(String::from),
        );
        for (rule, dfa) in rec.rules.iter().zip(&rec.prefix_dfas) {
            let mut cache = dfa.create_cache();
            for t in &texts {
                assert!(!has_non_ascii_word(t), "{t:?}");
                for start in (0..=t.len()).filter(|&k| t.is_char_boundary(k)) {
                    let hay = &t[start..];
                    let find = |re: &LazyRegex| re.get().find(hay).map(|m| m.range());
                    assert_eq!(find(&rule.prefix_ascii), find(&rule.prefix), "{} {hay:?}", rule.id);
                    // The direct DFA search gives the regex's match end.
                    let input = Input::new(hay).anchored(Anchored::Yes);
                    let end = dfa.try_search_fwd(&mut cache, &input).unwrap().map(|m| m.offset());
                    assert_eq!(end, find(&rule.prefix_ascii).map(|r| r.end), "{} {hay:?}", rule.id);
                }
            }
        }
    }

    /// The rules' example texts, then `more`.
    fn with_rule_examples(more: &[&str]) -> Vec<String> {
        rule_examples()
            .map(|(_, t, _, _)| t)
            .chain(more.iter().copied())
            .map(String::from)
            .collect()
    }

    /// The word starts where the candidate alternation matches, as a
    /// search of each region with the alternation finds them.
    #[test]
    fn word_start_scan_matches_alternation_search() {
        let rec = DateRecognizer::new();
        let mut cache = rec.starts.dfa.create_cache();
        let mut ends_cache = rec.rule_ends.create_cache();
        let mut ends = Vec::new();
        // One table of rejected starts for the whole test: the regions
        // below cover each text many times, so most rejections are asked
        // of it again.
        let mut rejected = Rejected::default();
        let mut remembered = 0;
        let far = format!("{} on May 5, 1990 and WarThe 1990s", "word é € ".repeat(700));
        let texts = with_rule_examples(&[
            "",
            "5",
            "the WarThe 1990s began; McDonald 1990",
            "the '80s and the ’90s, the mid-1970s, 1987-88, at 5 p.m. EST Nov. 9",
            "A5 p.m. xJan. 5 inJan. 1990 x1990 1990x",
            "Café 1990 é1990 1990é €5 1990€ 🎉1990 1990🎉",
            "Москва 1990, май 1990 и 2001",
            "٢٠٠١ في 1990 و ٥ p.m.",
            "\u{a0}5\u{a0}p.m.\u{a0}EST — Tuesday…Friday",
            "iPhone Monday eBay Tuesday TheMonday theMonday",
            "last year.Next year,today?Yesterday!",
            // Eight bytes alike, then a date or none.
            "the Soviet Union, the Sovie 1990, the Soviet 1990s; the 1990 the 19",
            "with the war; with the 1990s; with the late 1990s; with the",
            far.as_str(),
        ]);
        for text in &texts {
            let bounds: Vec<usize> =
                (0..=text.len()).filter(|&k| text.is_char_boundary(k)).collect();
            // The whole text, and regions that start and end inside it.
            let mut regions = vec![Span::new(0, text.len())];
            for &k in bounds.iter().step_by(1 + bounds.len() / 40) {
                regions.push(Span::new(0, k));
                regions.push(Span::new(k, text.len()));
            }
            for region in regions {
                let s = region.of(text);
                let mut want = Vec::new();
                let mut pos = 0;
                while let Some(m) = rec.all.find_at(s, pos) {
                    let at = region.start + m.start();
                    if segment::is_start_boundary(text, at) {
                        want.push(at);
                    }
                    pos = m.start() + s[m.start()..].chars().next().map_or(1, char::len_utf8);
                }
                let scan = |test: &mut dyn FnMut(usize) -> bool| {
                    let mut got = Vec::new();
                    let mut from = region.start;
                    while let Some(at) = rec.next_start(text, region, from, &mut *test) {
                        got.push(at);
                        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
                    }
                    got
                };
                let got = scan(&mut |at| rec.rule_starts_at(&mut cache, text, region, at));
                assert_eq!(got, want, "{region:?} of {:?}", &text[..text.len().min(200)]);
                // The rule-ends walk's answer, and the ends it leaves.
                let ext_end = match_limit(text, region.end);
                let got = scan(&mut |at| {
                    let key = text.as_bytes().get(at..at + 8).filter(|_| at + 8 <= region.end);
                    remembered += usize::from(key.is_some_and(|k| {
                        rejected.holds(u64::from_le_bytes(k.try_into().unwrap()))
                    }));
                    let starts = rec.starts_with_ends(
                        &mut cache,
                        &mut ends_cache,
                        &mut rejected,
                        text,
                        region,
                        ext_end,
                        at,
                        &mut ends,
                    );
                    if starts {
                        check_ends(&rec, &text[at..ext_end], &ends);
                    }
                    starts
                });
                assert_eq!(got, want, "{region:?} of {:?}", &text[..text.len().min(200)]);
            }
        }
        assert!(rec.ends_start_test, "the walk answers the start test");
        assert!(remembered > 1000, "rejected starts are remembered ({remembered})");
    }

    /// The first-byte tables let through every position where the
    /// candidate alternation matches (its DFA, and the regex's own
    /// search), on texts with non-ASCII characters around dates and far
    /// from the start; and they turn away words that begin no date, which
    /// is what they are for.
    #[test]
    fn first_bytes_keep_every_match_start() {
        let rec = DateRecognizer::new();
        let mut cache = rec.starts.dfa.create_cache();
        let far = format!("{} the 1990s and on May 5, 1990", "Москва é € 🎉 ".repeat(400));
        let texts = with_rule_examples(&[
            "Café 1990 é1990 1990é €5 1990€ 🎉1990 1990🎉 'em ’90s",
            "Москва 1990, май 1990 и 2001; Января 5",
            "٢٠٠١ في 1990 و ٥ p.m. ١٩٩١",
            "\u{a0}5\u{a0}p.m.\u{a0}EST — Tuesday…Friday, Q3 1991, FY1990",
            "a year, an hour, in years, for days, the past, now, 12:30 GMT, noon, Now",
            far.as_str(),
        ]);
        let mut starts = 0;
        for text in &texts {
            let s = text.as_bytes();
            for at in (0..s.len()).filter(|&k| text.is_char_boundary(k)) {
                let dfa = rec.starts.starts_at(&mut cache, s, at);
                let search = rec.all.find_at(text, at).is_some_and(|m| m.start() == at);
                if dfa == Some(true) || search {
                    starts += 1;
                    assert!(
                        rec.starts.may_begin(&s[at..]),
                        "{:?} at {at} of {:?}",
                        &text[at..],
                        &text[..text.len().min(100)]
                    );
                }
            }
        }
        assert!(starts > 250, "{starts}");
        // (The four-byte set is a hash set: a word may share a bit with a
        // date's start, one in seven of them.)
        let words = ["and ", "Soviet", "than", "Moscow", "in 1", "of", "Москва", "été ", "from "];
        let kept: Vec<&str> =
            words.into_iter().filter(|w| rec.starts.may_begin(w.as_bytes())).collect();
        assert!(kept.len() <= 2, "{kept:?}");
        for word in ["May", "1990", "the past", "in years", "Tuesday", "’90s", "now,"] {
            assert!(rec.starts.may_begin(word.as_bytes()), "{word}");
        }
    }

    /// The rule-set DFA reports, from every position of texts with dates
    /// and with non-ASCII text around them, the rules a `RegexSet` of the
    /// same patterns reports.
    #[test]
    fn rule_set_dfa_agrees_with_regex_set() {
        let rec = DateRecognizer::new();
        let uncaptured: Vec<String> =
            RULES.iter().map(|def| uncapture(&expand(def.pattern))).collect();
        let reference = regex::RegexSet::new(rule_set_patterns(&uncaptured)).unwrap();
        let mut cache = rec.may_match.create_cache();
        let mut set = PatternSet::new(rec.rules.len());
        let far = format!("{} on March 3, 1991", "x ".repeat(3000));
        let mut found = 0;
        for text in [
            "In the mid-1970s, late 1991 and 1987-88 the war went on.",
            "On Monday, Sept. 17, 2018 at 5 p.m. EST the 40th anniversary",
            "Le 3 mars 1991 à Genève — €5 in the 1990s, the last two weeks 🎉",
            "В 1991 году, March 1991; في عام 1990 the previous quarter",
            "twice a year, every spring, the first half of 2003, Q3 2004",
            "",
            far.as_str(),
        ] {
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let hay = &text[at..];
                let want: Vec<usize> = reference.matches(hay).iter().collect();
                set.clear();
                all_matches(&rec.may_match, &mut cache, hay.as_bytes(), hay.len(), |p, _| {
                    set.insert(p);
                })
                .unwrap();
                let got: Vec<usize> = set.iter().map(|p| p.as_usize()).collect();
                assert_eq!(got, want, "{text:?} at {at}");
                found += got.len();
            }
        }
        assert!(found > 40, "the texts exercise the rules ({found} matches)");
    }

    /// Checks `ends` (by rule, what the rule-ends walk found over `hay`)
    /// against each rule's own `prefix_ascii` search: no end where it finds
    /// no match, its end where the walk found one, a match where it found
    /// several. The numbers of rules with one end and with several.
    fn check_ends(rec: &DateRecognizer, hay: &str, ends: &[Ends]) -> (usize, usize) {
        let (mut single, mut many) = (0, 0);
        for (rule, &got) in rec.rules.iter().zip(ends) {
            let want = rule.prefix_ascii.get().find(hay).map(|m| m.end());
            match got {
                Ends::None => assert_eq!(want, None, "{} {hay:?}", rule.id),
                Ends::One(e) => {
                    single += 1;
                    assert_eq!(want, Some(e), "{} {hay:?}", rule.id);
                }
                Ends::Many => {
                    many += 1;
                    assert!(want.is_some(), "{} {hay:?}", rule.id);
                }
            }
        }
        (single, many)
    }

    /// The rule-ends DFA reports, from every position, the rules whose
    /// `prefix_ascii` regex matches there, and when it reports one end for
    /// a rule, that is where the regex's match ends (the extent the
    /// recognizer then takes without the rule's own search); on texts
    /// with non-ASCII characters around dates and far from the start.
    #[test]
    fn rule_ends_agree_with_prefix_regexes() {
        let rec = DateRecognizer::new();
        let mut cache = rec.rule_ends.create_cache();
        let far = format!("{} on March 3, 1991 and August 20–21, 1968", "é € 🎉 x ".repeat(800));
        let texts = with_rule_examples(&[
            "In the mid-1970s, late 1991 and 1987-88 the war went on.",
            "On Monday, Sept. 17, 2018 at 5 p.m. EST the 40th anniversary",
            "Le 3 mars 1991 à Genève — €5 in the 1990s, the last two weeks 🎉",
            "В 1991 году, March 1991; في عام 1990 the previous quarter",
            "Café 1990 é1990 1990é €5 1990€ 🎉1990 1990🎉 'em ’90s May’s",
            "twice a year, every spring, the first half of 2003, Q3 2004",
            "January 17 – February 28, 1991 and 3–16 December 1971, 1990s–2000s",
            "",
            far.as_str(),
        ]);
        let (mut single, mut many) = (0, 0);
        let mut ends = Vec::new();
        for text in &texts {
            for at in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                let hay = &text[at..];
                ends.clear();
                ends.resize(rec.rules.len(), Ends::None);
                all_matches(&rec.rule_ends, &mut cache, hay.as_bytes(), hay.len(), |p, e| {
                    ends[p.as_usize()].add(e);
                })
                .unwrap();
                let (one, several) = check_ends(&rec, hay, &ends);
                single += one;
                many += several;
            }
        }
        assert!(single > 100 && many > 10, "the texts exercise both ({single}, {many})");
    }

    /// A date begins a word: a match that starts inside one is not kept,
    /// even when it ends with a full stop.
    #[test]
    fn dates_start_words() {
        let rec = DateRecognizer::new();
        for (text, want) in [
            ("set for A5 p.m. on", vec![]),
            ("set for 5 p.m. on", vec!["5 p.m."]),
            ("rose xMar. then", vec![]),
            ("the WarThe 1990s", vec!["The 1990s"]),
        ] {
            let got = rec.recognize(text, &[Span::new(0, text.len())], None);
            let got: Vec<&str> = got.iter().map(|a| a.span.of(text)).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn false_positive_guards() {
        let rec = DateRecognizer::new();
        for text in [
            "Resolution 1701 passed.",
            "some 1500 troops crossed",
            "It cost $1990 in all.",
            "They may meet again.",
            "a march to the border",
            "won 2000 votes",
            "about 1200 people",
        ] {
            let got = rec.recognize(text, &[Span::new(0, text.len())], None);
            assert!(
                got.is_empty(),
                "{text:?} gave {:?}",
                got.iter().map(|a| a.span.of(text)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn modifiers_and_intervals() {
        let rec = DateRecognizer::new();
        let text = "the mid-1970s and late 1991";
        let got = rec.recognize(text, &[Span::new(0, text.len())], None);
        let Attrs::Date { value, modifier, interval } = &got[0].attrs else { panic!() };
        assert_eq!((value.as_str(), *modifier), ("197", Some("MID")));
        assert_eq!(interval.as_ref().unwrap().start.iso(), "1970-01-01");
        let Attrs::Date { value, modifier, .. } = &got[1].attrs else { panic!() };
        assert_eq!((value.as_str(), *modifier), ("1991", Some("END")));
    }
}

static DATELINE: std::sync::LazyLock<Vec<Gated>> = std::sync::LazyLock::new(|| {
    let place = r"(?m)^[\p{Lu}][\p{Lu} .'’-]{2,40}(?:, [\p{Lu}][\p{L}.]+)?,? ";
    [r"{month} {day}(?:,? {year})?", r"{day} {month}(?:,? {year})?"]
        .iter()
        .map(|p| Gated::new(&format!("{place}{}", expand(p)), Regex::new).expect("static regex"))
        .collect()
});

fn first_captures<'t>(res: &[Gated], s: &'t str) -> Option<Captures<'t>> {
    res.iter()
        .filter_map(|r| r.captures(s))
        .min_by_key(|c| c.get(0).map_or(usize::MAX, |m| m.start()))
}

fn ymd_of(c: &Captures<'_>, fallback_year: Option<i32>) -> Option<Ymd> {
    if let Some(y) = c.name("iy") {
        return Ymd::new(
            y.as_str().parse().ok()?,
            c.name("im")?.as_str().parse().ok()?,
            c.name("id")?.as_str().parse().ok()?,
        );
    }
    let y = c.name("year").and_then(|y| y.as_str().parse().ok()).or(fallback_year)?;
    Ymd::new(y, month_num(c.name("month")?.as_str())?, c.name("day")?.as_str().parse().ok()?)
}

/// The document creation time written in the text, if any: the date of a
/// wire dateline at the start of a line near the top ("MOSCOW, March 3,
/// 2014 —", "BAGHDAD, Aug. 2, 1990 (Reuters) —"). Site bylines and
/// "Posted on" lines are boilerplate and do not set it (see the
/// guidelines); a dateline without a year takes `page_year` (the year of
/// the page's publication line, when it has one), else the year the text
/// names most often.
pub fn find_dct(text: &str, page_year: Option<i32>) -> Option<Ymd> {
    let mut head_end = text.len().min(2000);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    // A dateline starts a line with a capitalized place and a comma; only
    // such lines go through the (Unicode-heavy) dateline patterns.
    let head = &text[..head_end];
    let mut pos = 0;
    for line in head.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let l = line.trim_start();
        let caps = l
            .chars()
            .take_while(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
            .count();
        if caps < 3 || !l.contains(',') {
            continue;
        }
        if let Some(c) = first_captures(&DATELINE, &head[start..]) {
            return ymd_of(&c, None).or_else(|| ymd_of(&c, page_year.or_else(|| text_year(text))));
        }
    }
    None
}

/// A year in a date context ("in 1989", "Oct. 9, 1989"), the match
/// ending in the year's four digits.
const YEAR_IN_TEXT_PATTERN: &str = r"\b(?:in|of|since|by|until|during|early|late|mid-?|[A-Z][a-z]{2,8}\.?(?: \d{1,2},)?) (19[0-9]{2}|20[0-9]{2})\b";

static YEAR_IN_TEXT: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(YEAR_IN_TEXT_PATTERN).expect("static regex"));

/// [`YEAR_IN_TEXT`] with ASCII word boundaries, which the lazy DFA runs on
/// any text (a Unicode one stops it at the first non-ASCII byte, and the
/// whole text is then searched by a slower engine). Its first boundary is
/// always before an ASCII letter and its last after an ASCII digit, where
/// a Unicode boundary implies an ASCII one: its matches start and end
/// wherever the original's may (and at more places).
static YEAR_IN_TEXT_ASCII: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(&YEAR_IN_TEXT_PATTERN.replace(r"\b", r"(?-u:\b)")).expect("static regex")
});

/// The successive matches of [`YEAR_IN_TEXT`] in `text` (as its
/// `find_iter` gives them), found with [`YEAR_IN_TEXT_ASCII`]: where the
/// fast regex's leftmost match has Unicode word boundaries at both ends,
/// it is the original's leftmost match too (the original has no match
/// further left, and none preferred at the same start, as each of its
/// matches is one of the fast regex's); else the original searches from
/// that start.
fn years_in_text(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let m = YEAR_IN_TEXT_ASCII.find_at(text, at)?;
        let (start, end) = if crate::regexes::is_word_boundary(text, m.start())
            && crate::regexes::is_word_boundary(text, m.end())
        {
            (m.start(), m.end())
        } else {
            let m = YEAR_IN_TEXT.find_at(text, m.start())?;
            (m.start(), m.end())
        };
        at = end;
        Some((start, end))
    })
}

/// The year of a dateline that gives only month and day ("BERLIN, Nov.
/// 10 —"): the year the text names most often in date contexts ("in
/// 1989", "Oct. 9, 1989"), the latest on a tie; none when it names none.
fn text_year(text: &str) -> Option<i32> {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    // The year group is the last four bytes of a match.
    for (_, end) in years_in_text(text) {
        let Ok(y) = text[end - 4..end].parse::<i32>() else { continue };
        match counts.iter_mut().find(|(v, _)| *v == y) {
            Some(e) => e.1 += 1,
            None => counts.push((y, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(y, n)| (n, y)).map(|(y, _)| y)
}

#[cfg(test)]
mod dct_tests {
    use super::*;

    #[test]
    fn dct_from_dateline_and_byline() {
        let t = "Title\nBAGHDAD, Aug. 2, 1990 — Iraqi troops";
        assert_eq!(find_dct(t, None).map(Ymd::iso).as_deref(), Some("1990-08-02"));
        let t = "MOSCOW, March 3 (Reuters) — talks";
        assert_eq!(find_dct(t, None), None);
        let t = "BERLIN, Nov. 10 — crowds. Since September 1989 they marched; in 1961 the wall rose; in 1989 it fell.";
        assert_eq!(find_dct(t, None).map(Ymd::iso).as_deref(), Some("1989-11-10"));
        let t = "The war began on August 2, 1990.";
        assert_eq!(find_dct(t, None), None, "a date in running text is not a DCT");
    }
}
