#!/usr/bin/env bash
# Start-up with the bundled gazetteers, and the cost of a 1,000,000-entry
# user gazetteer (issue 4), measured end to end on the built binary. See
# bench/README.md.
#
#   scripts/bench_gazetteer.sh               # 1,000,000 entries
#   BENCH_ENTRIES=100000 scripts/bench_gazetteer.sh
#
# Each figure is the best of BENCH_RUNS (default 5) runs of `annotate
# --threads 1` on the smallest repository file, to /dev/null:
#   startup     with the bundled gazetteers only;
#   user_total  with --gazetteer BIG.tsv as well (read, parse, index, annotate);
#   user_build  user_total - startup: what the big list adds;
#   user_rss    peak RSS of the user_total run (GNU time; else VmHWM).
# The list is generated (made-up names of 1-3 words, every label, fixed
# seed) under BENCH_DIR, outside the repository. A row is appended to
# bench/gazetteer.csv unless BENCH_NO_CSV=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/annotate-bench}
N=${BENCH_ENTRIES:-1000000}
RUNS=${BENCH_RUNS:-5}
CSV="$ROOT/bench/gazetteer.csv"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench_gazetteer: $*"; exit 2; }
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "BENCH_ENTRIES must be a whole number ≥ 1"
command -v python3 >/dev/null || die "python3 not found"
mkdir -p "$DIR"

say "bench_gazetteer: building in $DIR/target…"
(cd "$ROOT" && CARGO_TARGET_DIR="$DIR/target" cargo build --release --quiet --bin annotate) ||
    die "cargo build failed"
ANNOTATE="$DIR/target/release/annotate"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $COMMIT != unknown ]] &&
    ! git -C "$ROOT" --no-optional-locks diff --quiet HEAD -- src Cargo.toml Cargo.lock \
        gazetteers rules 2>/dev/null; then
    COMMIT="$COMMIT+dirty"
fi

BIG="$DIR/user-gazetteer-$N.tsv"
if [[ ! -s $BIG ]]; then
    say "bench_gazetteer: writing $N entries to $BIG…"
    python3 - "$BIG" "$N" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
syl = ["ka", "lo", "mi", "ra", "ten", "vor", "zu", "bel", "dan", "sho", "pri", "gul", "nar", "tesh", "ul"]
labels = ["PERSON", "ORG", "GPE", "LOC", "NORP"]
with open(path + ".part", "w") as f:
    for i in range(n):
        words = ["".join(rng.choice(syl) for _ in range(rng.randint(2, 3))).capitalize()
                 for _ in range(rng.randint(1, 3))]
        s = " ".join(words)
        f.write(f"{s}\t{labels[i % 5]}\tuser:{i}\t{s}\n")
import os
os.replace(path + ".part", path)
PY
fi
SMALL=$(find "$ROOT/corpus" -name '*.txt' -printf '%s %p\n' | sort -n | head -n 1 | cut -d' ' -f2-)

now_ns() { date +%s%N; }
# best MS RSS_KB of RUNS runs of CMD…
best() {
    local best="" rss=0 t0 t1 ms
    for _ in $(seq "$RUNS"); do
        if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
            t0=$(now_ns)
            /usr/bin/time -v -o "$DIR/gaz.time" "$@" >/dev/null
            t1=$(now_ns)
            rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/gaz.time")
        else
            t0=$(now_ns)
            "$@" >/dev/null &
            local pid=$! v
            rss=0
            while kill -0 "$pid" 2>/dev/null; do
                v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
                [[ -n $v && $v -gt $rss ]] && rss=$v
                sleep 0.02
            done
            wait "$pid"
            t1=$(now_ns)
        fi
        ms=$(((t1 - t0) / 1000000))
        if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
    done
    echo "$best $rss"
}

read -r START_MS START_RSS < <(best "$ANNOTATE" --threads 1 "$SMALL")
read -r USER_MS USER_RSS < <(best "$ANNOTATE" --threads 1 --gazetteer "$BIG" "$SMALL")
BUILD_MS=$((USER_MS - START_MS))
MBOF() { python3 -c "print(f'{$1 * 1024 / 1e6:.1f}')"; }

cat >&2 <<EOF
annotate gazetteer benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT, $(nproc) CPUs
start-up, bundled gazetteers (best of $RUNS):     $START_MS ms   (peak RSS $(MBOF "$START_RSS") MB)
with a $N-entry user gazetteer:        $USER_MS ms   (peak RSS $(MBOF "$USER_RSS") MB)
what the user gazetteer adds:                     $BUILD_MS ms
targets (issue 4): start-up ≤ 150 ms: $( ((START_MS <= 150)) && echo PASS || echo FAIL ); 1,000,000-entry build ≤ 3 s: $( ((BUILD_MS <= 3000)) && echo PASS || echo FAIL )
EOF
if [[ ${BENCH_NO_CSV:-0} != 1 ]]; then
    [[ -s $CSV ]] || echo "date,commit,entries,startup_ms,startup_rss_mb,user_total_ms,user_build_ms,user_rss_mb" >"$CSV"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ),$COMMIT,$N,$START_MS,$(MBOF "$START_RSS"),$USER_MS,$BUILD_MS,$(MBOF "$USER_RSS")" >>"$CSV"
fi
