#!/usr/bin/env bash
# Where the time of a one-thread run goes on this machine's own hardware,
# by pipeline stage (issue 7). See bench/README.md.
#
#   scripts/stage_profile.sh [CORPUS_DIR]        # default: 16 replicas of corpus/
#   PROFILE_BIN=/path/to/annotate scripts/stage_profile.sh DIR
#
# `perf record -e cpu-clock` samples the run with DWARF call stacks (the
# release profile keeps debug line tables), and each sample of the worker
# thread is charged to the outermost pipeline stage on its stack: the
# share of the worker's time inside `clean::Cleaner::find`,
# `DateRecognizer::recognize` and so on, inlined frames included. A second
# table lists the leaf functions. `scripts/cost_per_byte.sh` models the
# cost with a cache simulator and is steadier from run to run; this one
# measures, and shows what the model misjudges (a lazy DFA's transition
# loads, which depend on each other, cost more than the model says;
# futex wake-ups do not appear in the model at all).
#
# Environment:
#   PROFILE_FREQ  samples per second, default 997
#   PROFILE_DIR   where the replica corpus and perf data go,
#                 default ${TMPDIR:-/tmp}/annotate-profile
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${PROFILE_DIR:-${TMPDIR:-/tmp}/annotate-profile}
FREQ=${PROFILE_FREQ:-997}

die() { printf 'stage_profile: %s\n' "$*" >&2; exit 2; }
command -v perf >/dev/null || die "perf not found (apt-get install linux-perf)"
command -v python3 >/dev/null || die "python3 not found"

if [[ -n ${PROFILE_BIN:-} ]]; then
    BIN=$PROFILE_BIN
else
    (cd "$ROOT" && cargo build --release --quiet --bin annotate) || die "cargo build failed"
    BIN=$ROOT/target/release/annotate
fi
mkdir -p "$DIR"
CORPUS=${1:-}
if [[ -z $CORPUS ]]; then
    CORPUS=$DIR/b16
    # shellcheck source=scripts/replicas.sh
    . "$ROOT/scripts/replicas.sh"
    replicate "$CORPUS" 16
fi
[[ -d $CORPUS ]] || die "$CORPUS is not a folder"

perf record -q -e cpu-clock -F "$FREQ" --call-graph dwarf,16384 -o "$DIR/perf.data" \
    "$BIN" --threads 1 --quiet "$CORPUS" >/dev/null 2>"$DIR/perf.err" ||
    die "perf record failed (see $DIR/perf.err; kernel.perf_event_paranoid may need lowering)"
perf script -i "$DIR/perf.data" -F tid,ip,sym 2>/dev/null | python3 "$ROOT/scripts/stage_profile.py"
