# Sourced by scripts/cost_per_byte.sh and scripts/stage_profile.sh (needs
# ROOT, the repository): `replicate OUT N` makes N copies of corpus/ under
# OUT/r00, OUT/r01, … with file names flattened, once (OUT/.done marks a
# finished set).
replicate() {
    local out=$1 n=$2
    [[ -f $out/.done ]] && return
    rm -rf "$out"
    for ((i = 0; i < n; i++)); do
        local r
        r=$(printf '%s/r%02d' "$out" "$i")
        mkdir -p "$r"
        (cd "$ROOT" && find corpus -name '*.txt' -type f) | while read -r f; do
            cp "$ROOT/$f" "$r/${f//\//-}"
        done
    done
    touch "$out/.done"
}
