#!/usr/bin/env bash
# Cost per input byte of `annotate` and of the floor (issue 7), without the
# noise of wall-clock timing on a shared machine. See bench/README.md.
#
#   scripts/cost_per_byte.sh                     # release builds of this checkout
#   COST_BIN=/path/to/annotate scripts/cost_per_byte.sh   # another binary too
#
# valgrind's cache simulator (cachegrind) runs each program with one thread
# on 16 and on 4 replicas of corpus/; the difference divided by the bytes of
# the 12 extra replicas is the marginal cost per byte, so start-up (building
# the gazetteers and regexes) cancels out. It reports instructions, L1d
# misses, L2 misses and L1i misses per byte, and an estimate of cycles per
# byte: Ir/2 + 14·(L1d misses) + 50·(L2 misses) + 10·(L1i misses), a rough
# model of a core that retires two instructions a cycle and waits about 14
# cycles for L2 and 50 for L3. Instruction counts alone miss what a large
# automaton costs: its transition table, read at random, misses the caches.
# The model is for comparing builds and stages, not a prediction of MB/s.
#
# Environment:
#   COST_D1   L1d geometry for valgrind (size,assoc,line), default 49152,12,64
#   COST_L2   L2 geometry, simulated as valgrind's last level, default
#             1048576,16,64 (this machine: 48 KiB L1d, 1 MiB L2 per core)
#   COST_DIR  where the replica corpora go, default ${TMPDIR:-/tmp}/annotate-cost
#   COST_NO_CSV=1  do not append to bench/cost.csv
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D1=${COST_D1:-49152,12,64}
L2=${COST_L2:-1048576,16,64}
DIR=${COST_DIR:-${TMPDIR:-/tmp}/annotate-cost}

die() { printf 'cost: %s\n' "$*" >&2; exit 2; }
command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)"
command -v python3 >/dev/null || die "python3 not found"

(cd "$ROOT" && cargo build --release --quiet --bin annotate --example floor) ||
    die "cargo build failed"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $COMMIT != unknown ]] && ! git -C "$ROOT" --no-optional-locks diff --quiet HEAD -- src \
    Cargo.toml Cargo.lock gazetteers rules examples/floor.rs 2>/dev/null; then
    COMMIT="$COMMIT+dirty"
fi

# Replicas of corpus/ under numbered folders, file names flattened.
# shellcheck source=scripts/replicas.sh
. "$ROOT/scripts/replicas.sh"
mkdir -p "$DIR"
replicate "$DIR/b4" 4
replicate "$DIR/b16" 16
BYTES=$(python3 - "$DIR" <<'PY'
import os, sys
def size(d):
    return sum(os.path.getsize(os.path.join(p, f)) for p, _, fs in os.walk(d) for f in fs if f.endswith('.txt'))
print(size(os.path.join(sys.argv[1], 'b16')) - size(os.path.join(sys.argv[1], 'b4')))
PY
)

# measure NAME ARGS… (the corpus folder is appended)
measure() {
    local name=$1
    shift
    for c in b16 b4; do
        # One thread builds the resources, so the heap's layout (and the
        # simulated misses) does not move from run to run.
        RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=yes --D1="$D1" --LL="$L2" \
            --cachegrind-out-file="$DIR/$name.$c.out" "$@" "$DIR/$c" >/dev/null 2>"$DIR/$name.$c.err" ||
            die "$name failed under valgrind (see $DIR/$name.$c.err)"
    done
    python3 - "$DIR/$name" "$BYTES" "$name" <<'PY'
import sys
base, nbytes, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def totals(path):
    events = None
    for line in open(path):
        if line.startswith('events:'):
            events = line.split()[1:]
        elif line.startswith('summary:'):
            return dict(zip(events, map(int, line.split()[1:])))
    raise SystemExit(f'cost: no summary in {path}')
a, b = totals(base + '.b16.out'), totals(base + '.b4.out')
d = {k: (a[k] - b[k]) / nbytes for k in a}
l1 = d['D1mr'] + d['D1mw']
l2 = d['DLmr'] + d['DLmw']
i1 = d['I1mr']
cycles = d['Ir'] / 2 + 14 * l1 + 50 * l2 + 10 * i1
print(f"{name},{d['Ir']:.1f},{l1:.3f},{l2:.3f},{i1:.3f},{cycles:.1f}")
PY
}

ROWS=$(
    measure annotate "$ROOT/target/release/annotate" --threads 1 --quiet
    measure floor "$ROOT/target/release/examples/floor" --threads 1
    if [[ -n ${COST_BIN:-} ]]; then measure other "$COST_BIN" --threads 1 --quiet; fi
)
printf 'cost per input byte (marginal over %s bytes; L1d %s, L2 %s), commit %s\n' \
    "$BYTES" "$D1" "$L2" "$COMMIT"
printf '%-9s %8s %9s %9s %9s %12s\n' program instr L1d_miss L2_miss L1i_miss est_cycles
echo "$ROWS" | while IFS=, read -r n ir l1 l2 i1 cy; do
    printf '%-9s %8s %9s %9s %9s %12s\n' "$n" "$ir" "$l1" "$l2" "$i1" "$cy"
done
ann=$(echo "$ROWS" | awk -F, '$1=="annotate"{print $6}')
flo=$(echo "$ROWS" | awk -F, '$1=="floor"{print $6}')
python3 -c "print(f'annotate / floor, estimated cycles: {$ann / $flo:.2f}x (floor / annotate: {100 * $flo / $ann:.1f}%)')"
if [[ ${COST_NO_CSV:-0} != 1 ]]; then
    CSV="$ROOT/bench/cost.csv"
    [[ -f $CSV ]] || echo "date,commit,program,instr_per_byte,l1d_miss_per_byte,l2_miss_per_byte,l1i_miss_per_byte,est_cycles_per_byte" >"$CSV"
    now=$(date -u +%Y-%m-%dT%H:%MZ)
    echo "$ROWS" | grep -v '^other,' | while IFS=, read -r n ir l1 l2 i1 cy; do
        echo "$now,$COMMIT,$n,$ir,$l1,$l2,$i1,$cy" >>"$CSV"
    done
    echo "appended to bench/cost.csv"
fi
