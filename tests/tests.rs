//! Integration tests: the built `annotate` binary on real and crafted
//! inputs. One module per area.

mod util;

mod cli;
mod dates;
mod evaluation;
mod events;
mod offsets;
