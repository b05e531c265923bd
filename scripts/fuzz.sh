#!/usr/bin/env bash
# Runs SealKit's libFuzzer targets (the package in Fuzz/, built with -sanitize=fuzzer,address).
#   scripts/fuzz.sh TARGET SECONDS    build if needed, run one target for SECONDS
#   scripts/fuzz.sh all SECONDS       each target in turn for SECONDS, then a table
#   scripts/fuzz.sh list              the targets
# The committed seeds (Fuzz/Corpus/TARGET) are copied into a scratch corpus that grows across
# runs, Fuzz/.build/fuzz-work/TARGET/corpus (ignored by git); crash, leak, timeout and OOM
# inputs are written to Fuzz/.build/fuzz-work/TARGET/artifacts/. Exit status: 0 when no run
# found anything, 1 otherwise. FUZZ_ARGS adds libFuzzer flags (e.g. FUZZ_ARGS=-jobs=2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

targets=(yaml ciphertext manifest pem template kubeconfig watch-event controller-api reseal)
# Largest input per target: a little over the largest seed (a SealedSecret with a few
# RSA-4096 ciphertexts, a key Secret with a 4096-bit key in base64).
declare -A max_len=(
    [yaml]=2048 [ciphertext]=2048 [manifest]=12288 [pem]=8192 [template]=2048
    [kubeconfig]=4096 [watch-event]=4096 [controller-api]=6144 [reseal]=6144
)

usage() { echo "usage: scripts/fuzz.sh TARGET|all SECONDS   (targets: ${targets[*]})" >&2; exit 2; }
[ "${1:-}" = list ] && { printf '%s\n' "${targets[@]}"; exit 0; }
[ $# -eq 2 ] || usage
[[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage
if [ "$1" = all ]; then selected=("${targets[@]}"); else
    [ -n "${max_len[$1]:-}" ] || { echo "error: unknown target '$1' (targets: ${targets[*]})" >&2; exit 2; }
    selected=("$1")
fi
seconds=$2

scripts/setup-system.sh
# Release (-O) runs several times faster than debug; -enable-testing keeps the internal entry
# points that some targets reach with @testable import.
build_flags=(--package-path Fuzz -c release -Xswiftc -enable-testing -Xswiftc -sanitize=fuzzer,address
             -Xswiftc -parse-as-library)

build() {
    local log="Fuzz/.build/fuzz-build-$1.log"
    mkdir -p Fuzz/.build
    echo "building fuzz-$1 (release, -sanitize=fuzzer,address) — the first build takes several minutes" >&2
    if ! swift build "${build_flags[@]}" --product "fuzz-$1" >"$log" 2>&1; then
        # ld.gold's "Cannot export local symbol" lines about ASan's helpers are noise.
        grep -v "Cannot export local symbol" "$log" | tail -40 >&2
        echo "error: building fuzz-$1 failed (full log: $log)" >&2
        exit 1
    fi
}

# Runs one target; prints "executions exec/s findings artifact" on stdout.
run() {
    local target=$1 work="$root/Fuzz/.build/fuzz-work/$1"
    local binary; binary="$(swift build "${build_flags[@]}" --show-bin-path)/fuzz-$target"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp -n Fuzz/Corpus/"$target"/* "$work/corpus/" 2>/dev/null || true
    local dictionary=() extra=()
    [ -f "Fuzz/Dictionaries/$target.dict" ] && dictionary=("-dict=$root/Fuzz/Dictionaries/$target.dict")
    read -r -a extra <<<"${FUZZ_ARGS:-}"
    local before; before=$(ls "$work/artifacts" | wc -l)
    local log="$work/last-run.log" status=0
    # Swift's own crash backtracer trips ASan; libFuzzer prints the stack instead.
    # One RSA-4096 decryption is milliseconds under ASan; 25 s is far beyond any honest input.
    (cd "$work" && SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}" \
        LSAN_OPTIONS="suppressions=$root/Fuzz/lsan.supp" \
        nice -n "${FUZZ_NICE:-10}" "$binary" -max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=25 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${dictionary[@]}" "${extra[@]}" \
        "$work/corpus") >"$log" 2>&1 || status=$?
    local executions rate
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    local found=$(( $(ls "$work/artifacts" | wc -l) - before ))
    local artifact; artifact=$(ls -t "$work/artifacts" | head -1)
    echo "fuzz-$target: ${executions:-?} executions in ${seconds}s (${rate:-?}/s), exit status $status" >&2
    if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
        grep -E "^==[0-9]+==ERROR|^SUMMARY|Fatal error|property violated|deadly signal|Test unit written" "$log" | head -8 >&2
        echo "  log: $log" >&2
        [ -n "$artifact" ] && echo "  input: $work/artifacts/$artifact" >&2
        [ "$found" -gt 0 ] || found=1
    fi
    echo "${executions:-0} ${rate:-0} $found"
}

for target in "${selected[@]}"; do build "$target"; done
rows=() failed=0 total=0
for target in "${selected[@]}"; do
    read -r executions rate found < <(run "$target")
    rows+=("$target $executions $rate $found")
    total=$((total + executions))
    [ "$found" -eq 0 ] || failed=1
done
if [ ${#selected[@]} -gt 1 ]; then
    printf '\n%-16s %12s %8s %8s\n' target executions exec/s crashes
    for row in "${rows[@]}"; do
        read -r target executions rate found <<<"$row"
        printf '%-16s %12s %8s %8s\n' "$target" "$executions" "$rate" "$found"
    done
    printf '%-16s %12s\n' total "$total"
fi
exit "$failed"
