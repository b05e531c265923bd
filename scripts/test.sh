#!/usr/bin/env bash
# Builds everything and runs every test suite: unit, reference vectors, end-to-end (the real
# binaries) and interoperability with an independent decryptor. The command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

SEALKIT_WITH_TEST_TOOLS=1 scripts/setup-system.sh
swift build --build-tests
swift test --skip-build
