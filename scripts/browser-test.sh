#!/usr/bin/env bash
# Browser tests of the sealing page (Tests/Browser): real headless Chromium, driven by Selenium,
# against the built `sealkit ui`; every result is unsealed with `sealkit --recovery-unseal`.
# Installs what it needs if missing: Debian's chromium and chromium-driver (apt), and Selenium,
# pytest and PyYAML from PyPI into a virtualenv under .build/. Builds sealkit (and, for the
# controller test, sealkit-controller and kube-test-server) unless SEALKIT_BIN names a sealkit
# with those beside it. Extra arguments go to pytest (e.g. -k merge).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "installing chromium chromium-driver" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

venv=.build/browser-venv
if ! "$venv/bin/python" -c 'import selenium, pytest, yaml' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check selenium pytest pyyaml
fi

if [ -z "${SEALKIT_BIN:-}" ]; then
    # The controller test also runs sealkit-controller and kube-test-server from the same folder.
    for product in sealkit sealkit-controller kube-test-server; do
        swift build --product "$product" >&2
    done
    SEALKIT_BIN="$(swift build --show-bin-path)/sealkit"
fi
export SEALKIT_BIN
export CHROMIUM_BIN="${CHROMIUM_BIN:-$(command -v chromium)}"
export CHROMEDRIVER_BIN="${CHROMEDRIVER_BIN:-$(command -v chromedriver)}"

exec "$venv/bin/python" -m pytest Tests/Browser -q -p no:cacheprovider "$@"
