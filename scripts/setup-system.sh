#!/usr/bin/env bash
# Installs the system packages SealKit builds against, if missing (Debian/Ubuntu).
# Runs apt-get only when something is absent; uses sudo when not root.
set -euo pipefail

packages=(libssl-dev libyaml-dev pkg-config)
if [ "${SEALKIT_WITH_TEST_TOOLS:-0}" = 1 ]; then
    python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
    # kubectl: end-to-end tests drive the test API server and render the kustomize base with it.
    command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
    # openssl CLI: the HTTPS tests make a throwaway PKI; the benchmark compares with `openssl speed`.
    command -v openssl >/dev/null 2>&1 || packages+=(openssl)
    # Headless Chromium and its WebDriver: the sealing page's browser tests (scripts/browser-test.sh).
    command -v chromium >/dev/null 2>&1 || packages+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
    # python3-venv: the browser tests install Selenium in a virtualenv.
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${SEALKIT_WITH_TEST_TOOLS:-0}" = 1 ]; then
    # The independent decryptor the interoperability test compares against.
    if ! python3 -c 'import aes_gcm_rsa_oaep, cryptography' 2>/dev/null; then
        pip=(python3 -m pip install -q --disable-pip-version-check aes-gcm-rsa-oaep cryptography)
        # Debian's own python3 refuses user installs (PEP 668) unless told otherwise.
        "${pip[@]}" 2>/dev/null || "${pip[@]}" --break-system-packages
    fi
fi
