#!/usr/bin/env bash
# Every benchmark, in release mode, each printing ratios against a baseline measured in the
# same run (`openssl speed` for RSA, the smallest size for parsing). Run after
# scripts/setup-system.sh (OpenSSL CLI, libssl-dev, libyaml-dev). Takes several minutes.
#
#   scripts/bench.sh [OBJECTS]      # OBJECTS for the controller runs (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
objects="${1:-10000}"
scratch=.build-release
echo "building sealkit-bench and sealkit-controller (release) — the first build takes several minutes" >&2
swift build -c release --scratch-path "$scratch" --product sealkit-bench >/tmp/sealkit-bench-build.log 2>&1 \
  && swift build -c release --scratch-path "$scratch" --product sealkit-controller >>/tmp/sealkit-bench-build.log 2>&1 \
  || { tail -20 /tmp/sealkit-bench-build.log; echo "build failed; full log: /tmp/sealkit-bench-build.log" >&2; exit 1; }
bench="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sealkit-bench"
key=Tests/SealKitTests/Fixtures/vectors/public/key.pem   # a 4096-bit key, to skip key generation

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(openssl version)"
echo "== seal and unseal values";              "$bench" --key "$key"
echo "== parsing scale";                       "$bench" --key "$key" --parse
echo "== one Secret of 12 000 items";          "$bench" --key "$key" --seal-items 12000
echo "== many keys ($objects objects)";        "$bench" --key "$key" --many-keys "$objects"
echo "== controller at $objects objects";      "$bench" --key "$key" --controller "$objects"
