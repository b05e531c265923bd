#!/bin/sh
# Installs sealkit's shell completions and man page.
#
#   scripts/install-completions.sh [PREFIX]      # default PREFIX: $HOME/.local
#
# Completions come from the built binary (swift-argument-parser generates them); the man page
# from swift-argument-parser's generate-manual plugin, which works offline from the package's
# checkouts. Build first: swift build --product sealkit
set -eu
prefix=${1:-"$HOME/.local"}
root=$(cd "$(dirname "$0")/.." && pwd)
sealkit="$root/.build/debug/sealkit"
[ -x "$root/.build/release/sealkit" ] && sealkit="$root/.build/release/sealkit"
[ -x "$sealkit" ] || { echo "error: build sealkit first (swift build --product sealkit)" >&2; exit 1; }

mkdir -p "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
         "$prefix/share/fish/vendor_completions.d" "$prefix/share/man/man1"
"$sealkit" --generate-completion-script bash > "$prefix/share/bash-completion/completions/sealkit"
"$sealkit" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_sealkit"
"$sealkit" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/sealkit.fish"

(cd "$root" && swift package --allow-writing-to-package-directory generate-manual --configuration debug --product sealkit >/dev/null)
cp "$root/.build/plugins/GenerateManual/outputs/sealkit/sealkit.1" "$prefix/share/man/man1/sealkit.1"
echo "installed completions and man page under $prefix"
