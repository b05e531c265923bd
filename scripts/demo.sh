#!/usr/bin/env bash
# The main job, end to end on one machine: install what is missing, build, make a local key
# pair, seal an example Secret, unseal it offline, and show all three.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-system.sh
swift build -c release --product sealkit >&2
sealkit="$(swift build -c release --show-bin-path)/sealkit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

"$sealkit" keys generate --key-file tls.key --cert-file tls.crt
cat > secret.yaml <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: database
  namespace: prod
  labels:
    app: orders
type: Opaque
stringData:
  username: orders
  password: correct-horse-battery-staple
YAML

echo "== the Secret (plaintext, never commit this)"
cat secret.yaml
echo
echo "== sealkit --cert tls.crt -f secret.yaml -w sealed.yaml   (safe to commit)"
"$sealkit" --cert tls.crt -f secret.yaml -w sealed.yaml
cat sealed.yaml
echo
echo "== sealkit --recovery-unseal --recovery-private-key tls.key -f sealed.yaml -o yaml"
"$sealkit" --recovery-unseal --recovery-private-key tls.key -f sealed.yaml -o yaml
