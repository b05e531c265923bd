#!/usr/bin/env bash
# Builds everything with a sanitizer and runs the whole test suite under it.
#   scripts/sanitize.sh address [swift test arguments…]   AddressSanitizer (+ UndefinedBehavior checks of the runtime)
#   scripts/sanitize.sh thread  [swift test arguments…]   ThreadSanitizer
# Each sanitizer builds into its own scratch directory (.build-address, .build-thread), so the
# normal build is untouched. The end-to-end tests run the sanitized binaries too: a report from
# a child process fails the test that ran it (the sanitizer makes it exit non-zero).
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizer="${1:-}"
case "$sanitizer" in
    address|thread) shift ;;
    *) echo "usage: scripts/sanitize.sh address|thread [swift test arguments…]" >&2; exit 2 ;;
esac

SEALKIT_WITH_TEST_TOOLS=1 scripts/setup-system.sh
scratch=".build-$sanitizer"
swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"

# halt_on_error: the first report ends the process, so it cannot be lost in later output.
# Leak checking is off: the Swift runtime keeps type metadata and caches for the process's
# lifetime by design, and LeakSanitizer reports those at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=0:abort_on_error=0}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
# Sanitized binaries run 2–10× slower: give the tests' timeouts room.
export SEALKIT_TEST_SLOWDOWN="${SEALKIT_TEST_SLOWDOWN:-4}"
swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" "$@"
