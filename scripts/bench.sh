#!/usr/bin/env bash
# Throughput and memory of `annotate` at archive scale, against the
# machine's floor (issue 7). See bench/README.md.
#
#   scripts/bench.sh                 # 200 MB corpus
#   BENCH_MB=50 scripts/bench.sh     # smaller/larger corpus
#
# Needs only cargo, python3 and (optionally) /usr/bin/time.
# Environment:
#   BENCH_MB      size of the full corpus in MB (10^6 bytes), default 200;
#                 the tenth corpus is a tenth of it
#   BENCH_DIR     where corpora and outputs go, outside the repository;
#                 default ${TMPDIR:-/tmp}/annotate-bench (corpora are reused)
#   BENCH_KEEP=1  keep the JSONL outputs (default: deleted after comparison)
#   BENCH_STRICT=1  exit 1 if an acceptance target of issue 7 is missed
#   BENCH_NO_CSV=1  write nothing to bench/ (results.csv, last-run.txt)
#   BENCH_NO_GNU_TIME=1  behave as if /usr/bin/time were missing (tests the
#                 /proc/<pid>/status fallback)
#   BENCH_QUIET_WAIT  seconds to wait before each run for other processes to
#                 use ≤ 10% of the machine (default 60; 0: do not wait)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MB=${BENCH_MB:-200}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/annotate-bench}
RESULTS="$ROOT/bench/results.csv"
SUMMARY="$ROOT/bench/last-run.txt"
T_START=$(date +%s)

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

[[ $MB =~ ^[0-9]+$ && $MB -ge 1 ]] || die "BENCH_MB must be a whole number of MB ≥ 1 (got '$MB')"
command -v cargo >/dev/null || die "cargo not found"
command -v python3 >/dev/null || die "python3 not found"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
case "$DIR/" in
"$(cd "$ROOT" && pwd -P)/"*) die "BENCH_DIR ($DIR) must be outside the repository" ;;
esac

if [[ ${BENCH_NO_GNU_TIME:-0} != 1 && -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    HAVE_TIME=1
else
    HAVE_TIME=0
    say "bench: /usr/bin/time (GNU time) is missing: peak RSS is read from VmHWM in"
    say "       /proc/<pid>/status every 20 ms instead (slightly low for short runs)."
fi

# ---------------------------------------------------------------- build
# In a target directory of its own (under BENCH_DIR): a build running in the
# repository's target/ neither blocks this one nor swaps the binaries under
# the measurements. The first run compiles the dependencies too.
say "bench: building release binaries in $DIR/target…"
(cd "$ROOT" && CARGO_TARGET_DIR="$DIR/target" cargo build --release --quiet \
    --bin annotate --example floor) || die "cargo build failed"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $COMMIT != unknown ]] &&
    ! git -C "$ROOT" --no-optional-locks diff --quiet HEAD -- src Cargo.toml Cargo.lock \
        gazetteers rules examples/floor.rs 2>/dev/null; then
    COMMIT="$COMMIT+dirty"
fi
ANNOTATE="$DIR/target/release/annotate"
FLOOR="$DIR/target/release/examples/floor"

# ---------------------------------------------------------------- corpora
# Replicates corpus/**/*.txt under numbered names (r00000/dev--name.txt…)
# until BENCH_MB is reached; the tenth corpus hard-links the first tenth of
# the replicas. A manifest written last marks a corpus as complete; it is
# reused when the manifest matches (same size, same source files).
CORPUS="$DIR/corpus-${MB}mb"
python3 - "$ROOT/corpus" "$CORPUS" "$MB" <<'PY' || die "cannot build the corpus"
import hashlib, json, math, os, shutil, sys
src, dest, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = []
for d, _, names in os.walk(src):
    for n in names:
        if n.endswith(".txt"):
            p = os.path.join(d, n)
            files.append((os.path.relpath(p, src), open(p, "rb").read()))
files.sort()
if not files:
    sys.exit("no corpus/**/*.txt files")
h = hashlib.sha256()
for rel, data in files:
    h.update(rel.encode() + b"\0" + data + b"\0")
src_bytes = sum(len(d) for _, d in files)
replicas = max(10, math.ceil(mb * 1_000_000 / src_bytes))
tenth = math.ceil(replicas / 10)
want = {"source_sha256": h.hexdigest(), "mb": mb, "replicas": replicas, "tenth_replicas": tenth,
        "files": replicas * len(files), "bytes": replicas * src_bytes,
        "tenth_files": tenth * len(files), "tenth_bytes": tenth * src_bytes}
manifest = os.path.join(dest, "manifest.json")
try:
    if json.load(open(manifest)) == want:
        print(f"bench: reusing {dest} ({want['files']} files, {want['bytes']/1e6:.1f} MB)",
              file=sys.stderr)
        sys.exit(0)
except (OSError, ValueError):
    pass
print(f"bench: writing {dest}: {replicas} × {len(files)} files "
      f"({want['bytes']/1e6:.1f} MB) + tenth…", file=sys.stderr)
shutil.rmtree(dest, ignore_errors=True)
full, part = os.path.join(dest, "full"), os.path.join(dest, "tenth")
for r in range(replicas):
    rd = os.path.join(full, f"r{r:05d}")
    os.makedirs(rd)
    td = os.path.join(part, f"r{r:05d}")
    if r < tenth:
        os.makedirs(td)
    for rel, data in files:
        name = rel.replace(os.sep, "--")
        p = os.path.join(rd, name)
        with open(p, "wb") as f:
            f.write(data)
        if r < tenth:
            try:
                os.link(p, os.path.join(td, name))
            except OSError:
                shutil.copyfile(p, os.path.join(td, name))
with open(manifest, "w") as f:
    json.dump(want, f)
PY
read -r FULL_FILES FULL_BYTES TENTH_FILES TENTH_BYTES < <(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m["files"], m["bytes"], m["tenth_files"], m["tenth_bytes"])' "$CORPUS/manifest.json")

WORK="$DIR/run"
rm -rf "$WORK"
mkdir -p "$WORK"

# Warm the page cache: every run then reads from memory.
say "bench: warming the page cache…"
find "$CORPUS/full" -name '*.txt' -exec cat {} + >/dev/null

# ---------------------------------------------------------------- measure
declare -A SECS RSS OTHER
now_ns() { date +%s%N; }
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
# Busy jiffies of the whole machine (user nice system irq softirq steal).
busy_jiffies() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat 2>/dev/null || echo 0; }

# Waits (up to BENCH_QUIET_WAIT seconds, default 60) until other processes
# use at most 10% of the machine, sampled over one second.
wait_quiet() {
    local max=${BENCH_QUIET_WAIT:-60} waited=0 b0 b1 load=0
    while ((waited < max)); do
        b0=$(busy_jiffies)
        sleep 1
        b1=$(busy_jiffies)
        load=$(((b1 - b0) * 100 / (HZ * NCPU)))
        ((load <= 10)) && return 0
        ((waited == 0)) && say "bench: machine busy (${load}% CPU), waiting up to ${max} s…"
        waited=$((waited + 1))
    done
    ((max == 0)) || say "bench: machine still busy (${load}% CPU); measuring anyway"
}

# run LABEL OUTFILE CMD… — wall seconds and peak RSS (KiB) of CMD.
run() {
    local label=$1 out=$2
    shift 2
    # The earlier runs' output (1.5 GB of JSONL for 200 MB) goes to disk
    # first, so that a run does not share the disk with their writeback.
    sync
    wait_quiet
    local t0 t1 b0 b1 rc=0 err="$WORK/$label.stderr"
    b0=$(busy_jiffies)
    t0=$(now_ns)
    if ((HAVE_TIME)); then
        /usr/bin/time -v -o "$WORK/$label.time" "$@" >"$out" 2>"$err" || rc=$?
        t1=$(now_ns)
        b1=$(busy_jiffies)
        RSS[$label]=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$label.time")
        # CPU used by other processes during the run, as a share of the
        # machine: a build running beside the benchmark shows here.
        OTHER[$label]=$(awk -F': ' -v b="$((b1 - b0))" -v hz="$HZ" -v n="$NCPU" \
            -v w="$(((t1 - t0) / 1000000))" '
            /User time|System time/ {own += $2}
            END {o = (b / hz - own) / (w / 1000 * n); if (o < 0) o = 0; printf "%.3f", o}' \
            "$WORK/$label.time")
    else
        "$@" >"$out" 2>"$err" &
        local pid=$! hwm=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [[ -n $v && $v -gt $hwm ]] && hwm=$v
            sleep 0.02
        done
        wait "$pid" || rc=$?
        t1=$(now_ns)
        RSS[$label]=$hwm
        OTHER[$label]=nan
    fi
    SECS[$label]=$(python3 -c "print(f'{($t1 - $t0) / 1e9:.4f}')")
    if ((rc != 0)); then
        say "bench: $label failed (exit $rc):"
        tail -n 5 "$err" >&2
        exit 2
    fi
    say "$(awk -v l="$label" -v s="${SECS[$label]}" -v r="${RSS[$label]:-0}" \
        -v o="${OTHER[$label]}" 'BEGIN {
            printf "bench: %-14s %8.2f s  %7.1f MB peak RSS", l, s, r * 1024 / 1e6
            if (o != "nan") printf "  (other load %d%%)", o * 100 }')"
}

measure_size() { # SIZE(full|tenth)
    local size=$1 dir="$CORPUS/$1" t
    for t in 1 2; do
        run "floor${t}_$size" "$WORK/floor${t}_$size.out" "$FLOOR" "$dir" --threads "$t"
    done
    for t in 1 2; do
        run "ann${t}_$size" "$WORK/ann${t}_$size.jsonl" "$ANNOTATE" --threads "$t" "$dir"
    done
}

say "bench: tenth corpus ($TENTH_FILES files, $(python3 -c "print(f'{$TENTH_BYTES/1e6:.1f}')") MB)"
measure_size tenth
python3 - "${SECS[ann1_tenth]}" "${SECS[ann2_tenth]}" "${SECS[floor1_tenth]}" \
    "${SECS[floor2_tenth]}" <<'PY' >&2
import sys
s = sum(float(x) for x in sys.argv[1:]) * 10
print(f"bench: the full corpus should take about {s/60:.1f} min")
PY
say "bench: full corpus ($FULL_FILES files, $(python3 -c "print(f'{$FULL_BYTES/1e6:.1f}')") MB)"
measure_size full

# Start-up: annotate on the smallest repository file, best of 5.
SMALL=$(find "$ROOT/corpus" -name '*.txt' -printf '%s %p\n' | sort -n | head -n 1 | cut -d' ' -f2-)
BEST=""
wait_quiet
for _ in 1 2 3 4 5; do
    t0=$(now_ns)
    "$ANNOTATE" --threads 1 "$SMALL" >/dev/null
    t1=$(now_ns)
    ms=$(((t1 - t0) / 1000000))
    if [[ -z $BEST || $ms -lt $BEST ]]; then BEST=$ms; fi
done
STARTUP_MS=$BEST

# Same output whatever the number of threads.
IDENTICAL=yes
for size in tenth full; do
    if ! cmp -s "$WORK/ann1_$size.jsonl" "$WORK/ann2_$size.jsonl"; then
        IDENTICAL=no
        BENCH_KEEP=1
        say "bench: $size: --threads 1 and --threads 2 outputs differ (kept in $WORK):"
        python3 - "$WORK/ann1_$size.jsonl" "$WORK/ann2_$size.jsonl" <<'PY' >&2 || true
import json, sys
with open(sys.argv[1]) as a, open(sys.argv[2]) as b:
    n = 0
    for n, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            ids = [json.loads(z).get("id") for z in (x, y)]
            print(f"  first difference at record {n}: ids {ids[0]!r} / {ids[1]!r}")
            break
PY
    fi
    lines=$(wc -l <"$WORK/ann1_$size.jsonl")
    want=$FULL_FILES
    [[ $size == tenth ]] && want=$TENTH_FILES
    ((lines == want)) || say "bench: $size: $lines output records for $want files"
done
OUT_MB=$(python3 -c "import os; print(f'{os.path.getsize(\"$WORK/ann1_full.jsonl\") / 1e6:.1f}')")
if [[ ${BENCH_KEEP:-0} != 1 ]]; then rm -f "$WORK"/*.jsonl; fi

# ---------------------------------------------------------------- report
export FULL_FILES FULL_BYTES TENTH_FILES TENTH_BYTES STARTUP_MS IDENTICAL COMMIT OUT_MB MB
for k in "${!SECS[@]}"; do
    export "SECS_$k=${SECS[$k]}" "RSS_$k=${RSS[$k]}" "OTHER_$k=${OTHER[$k]}"
done
for f in "$WORK"/floor*.out; do
    b=$(basename "$f" .out)
    export "FLOORLINE_$b=$(grep '^FLOOR ' "$f" || true)"
done
mkdir -p "$ROOT/bench"
STRICT_FAIL=0
python3 - "$RESULTS" "$SUMMARY" "${BENCH_NO_CSV:-0}" <<'PY' || STRICT_FAIL=$?
import datetime, os, sys
results, summary, no_csv = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
E = os.environ
size_bytes = {"full": int(E["FULL_BYTES"]), "tenth": int(E["TENTH_BYTES"])}
size_docs = {"full": int(E["FULL_FILES"]), "tenth": int(E["TENTH_FILES"])}
secs = lambda k: float(E[f"SECS_{k}"])
rss = lambda k: int(E[f"RSS_{k}"] or 0) * 1024 / 1e6  # KiB -> MB
mbs = lambda k, size: size_bytes[size] / 1e6 / secs(k)
def floor_field(k, field):
    for kv in E.get(f"FLOORLINE_{k}", "").split()[1:]:
        key, _, v = kv.partition("=")
        if key == field:
            return v
    return "?"

lines = []
p = lines.append
p(f"annotate benchmark — {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, "
  f"commit {E['COMMIT']}, {os.cpu_count()} CPUs")
p("MB = 10^6 bytes (input text and peak RSS); rates are input bytes / wall-clock time of the")
p("whole process (start-up, walk, read, annotate, write JSONL), page cache warm.")
p("")
p("'other' is the CPU other processes used during the run, as a share of the machine.")
p("")
p(f"{'run':<16}{'corpus':>10}{'docs':>8}{'seconds':>10}{'MB/s':>9}{'docs/s':>9}{'RSS MB':>9}"
  f"{'other':>7}")
busy = []
for size in ("tenth", "full"):
    for who in ("floor1", "floor2", "ann1", "ann2"):
        k = f"{who}_{size}"
        other = float(E.get(f"OTHER_{k}", "nan"))
        if other > 0.05:
            busy.append(k)
        p(f"{k:<16}{size_bytes[size]/1e6:>8.1f}MB{size_docs[size]:>8}{secs(k):>10.2f}"
          f"{mbs(k, size):>9.2f}{size_docs[size]/secs(k):>9.0f}{rss(k):>9.1f}"
          + (f"{other:>7.0%}" if other == other else f"{'n/a':>7}"))
if busy:
    p(f"WARNING: other processes used > 5% of the machine during {', '.join(busy)}:")
    p("         those figures are low; run again on a quiet machine.")
p("")
for size in ("tenth", "full"):
    k = f"floor1_{size}"
    p(f"floor {size}: scan-only {floor_field(k, 'mb_s')} MB/s (1 thread), automata build "
      f"{float(floor_field(k, 'build_s')):.3f} s, {floor_field(k, 'gazetteer_matches')} gazetteer "
      f"+ {floor_field(k, 'date_matches')} date matches")
f1, f2 = mbs("floor1_full", "full"), mbs("floor2_full", "full")
a1, a2 = mbs("ann1_full", "full"), mbs("ann2_full", "full")
ratio1, ratio2 = a1 / f1, a2 / f2
speedup, fspeed = a2 / a1, f2 / f1
rss_full = max(rss("ann1_full"), rss("ann2_full"))
rss_tenth = max(rss("ann1_tenth"), rss("ann2_tenth"))
rss_growth = rss_full / rss_tenth - 1 if rss_tenth else float("inf")
startup = int(E["STARTUP_MS"])
identical = E["IDENTICAL"]
p(f"annotate output: {E['OUT_MB']} MB of JSONL for the full corpus")
p("")
p(f"annotate/floor, 1 thread:   {ratio1:6.1%}   ({a1:.2f} vs {f1:.2f} MB/s)")
p(f"annotate/floor, 2 threads:  {ratio2:6.1%}   ({a2:.2f} vs {f2:.2f} MB/s)")
p(f"speedup 2/1 threads:        {speedup:6.2f}×  (floor: {fspeed:.2f}×)")
p(f"peak RSS full / tenth:      {rss_full:.1f} / {rss_tenth:.1f} MB ({rss_growth:+.1%})")
p(f"start-up (best of 5):       {startup} ms")
p(f"1- and 2-thread outputs:    {'byte-identical' if identical == 'yes' else 'DIFFERENT'}")
p("")
checks = [
    ("annotate 1 thread ≥ 50% of floor 1 thread", ratio1 >= 0.5, f"{ratio1:.1%}"),
    ("2 threads ≥ 1.6× own 1-thread rate", speedup >= 1.6, f"{speedup:.2f}×"),
    ("peak RSS < 150 MB (full corpus)", rss_full < 150, f"{rss_full:.1f} MB"),
    ("peak RSS full within 10% of tenth", abs(rss_growth) <= 0.10, f"{rss_growth:+.1%}"),
    ("start-up ≤ 150 ms", startup <= 150, f"{startup} ms"),
    ("1-thread and 2-thread output byte-identical", identical == "yes", identical),
]
p("issue 7 acceptance targets:")
for name, ok, got in checks:
    p(f"  {'PASS' if ok else 'FAIL'}  {name:<46} {got}")
text = "\n".join(lines) + "\n"
sys.stdout.write(text)
if not no_csv:
    open(summary, "w").write(text)

header = ("date,commit,corpus_mb,docs,floor1_mbs,floor2_mbs,ann1_mbs,ann2_mbs,ann1_ratio,"
          "speedup2,rss_full_mb,rss_tenth_mb,startup_ms,identical")
row = ",".join([
    datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), E["COMMIT"],
    f"{size_bytes['full']/1e6:.1f}", str(size_docs["full"]), f"{f1:.2f}", f"{f2:.2f}",
    f"{a1:.2f}", f"{a2:.2f}", f"{ratio1:.3f}", f"{speedup:.2f}", f"{rss_full:.1f}",
    f"{rss_tenth:.1f}", str(startup), identical,
])
if not no_csv:
    new = not os.path.exists(results) or os.path.getsize(results) == 0
    with open(results, "a") as f:
        if new:
            f.write(header + "\n")
        f.write(row + "\n")
    print(f"appended to {os.path.relpath(results)}: {row}")
sys.exit(0 if all(ok for _, ok, _ in checks) else 3)
PY
((STRICT_FAIL == 0 || STRICT_FAIL == 3)) || die "the report failed (exit $STRICT_FAIL)"
say "bench: done in $(($(date +%s) - T_START)) s"
if [[ ${BENCH_STRICT:-0} == 1 && $STRICT_FAIL != 0 ]]; then exit 1; fi
exit 0
