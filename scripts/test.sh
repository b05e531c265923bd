#!/usr/bin/env bash
# Builds everything and runs every test suite: unit, reference vectors, end-to-end (the real
# binaries), interoperability with an independent decryptor, and the sealing page in headless
# Chromium. The command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

SEALKIT_WITH_TEST_TOOLS=1 scripts/setup-system.sh
swift build --build-tests
swift test --skip-build
# The sealing page (ui/) in real headless Chromium, against the sealkit just built.
SEALKIT_BIN="$(swift build --show-bin-path)/sealkit" scripts/browser-test.sh
# The suite once more under AddressSanitizer (memory errors in the C layers over OpenSSL and
# libyaml are the bugs we fear most), without the cluster end-to-end suites: their timing is
# tuned for normal speed, and ASan makes every binary two to three times slower. Run
# `scripts/sanitize.sh address` for everything, and `scripts/sanitize.sh thread` for TSan.
if [ "${SEALKIT_SANITIZE:-1}" = 1 ]; then
    scripts/sanitize.sh address --skip SerialSuites
fi
