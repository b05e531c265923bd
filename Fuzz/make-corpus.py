#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/Corpus/<target>/ from the reference vectors and test
fixtures, plus a few hand-written edge cases. Run from anywhere; rerun after the fixtures
change. Small files only: libFuzzer grows its own corpus from these (in a scratch directory,
see scripts/fuzz.sh)."""
import base64, hashlib, json, pathlib, shutil, subprocess

root = pathlib.Path(__file__).resolve().parent.parent
vectors = root / "Tests/SealKitTests/Fixtures/vectors/public"
corpus = root / "Fuzz/Corpus"
manifests = sorted((vectors / "manifests").iterdir())


def write(target, name, data):
    directory = corpus / target
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (directory / name.replace("/", "-")).write_bytes(data)


for target in ["yaml", "ciphertext", "manifest", "pem", "template", "kubeconfig", "watch-event", "controller-api", "reseal"]:
    shutil.rmtree(corpus / target, ignore_errors=True)

key_pem = (vectors / "key.pem").read_bytes()
cert_pem = (vectors / "cert.pem").read_bytes()
b64 = lambda data: base64.b64encode(data).decode()

# yaml: every vector manifest and a few shapes the reader must handle.
for path in manifests:
    write("yaml", path.name, path.read_bytes())
write("yaml", "anchors.yaml", "a: &x {b: [1, 2.5, ~, true, '0123']}\nc: *x\nd: !!str 12\n")
write("yaml", "multi.yaml", "---\na: 1\n---\n# empty\n---\n- x\n- |\n  literal\n  block\n- >-\n  folded\n")
write("yaml", "stream.json", '{"a": "\\u00e9\\n", "b": [1e3, -0, null]}\n{"c": {}}\n')
write("yaml", "quoting.yaml", "yes: 'no'\n'on': off\nkey: \"tab\\there\"\nnum: 0o17\nhex: 0x1F\ninf: .inf\n")

# ciphertext: label, newline, base64 ciphertext, for each reference case.
small = [case for case in json.loads((vectors / "vectors.json").read_text()) if len(case["ciphertext_base64"]) < 4096]
for case in small[:40]:
    write("ciphertext", case["id"], case["label"] + "\n" + case["ciphertext_base64"])

# manifest: the vector objects, a Secret, and key Secrets (single and as a List).
for path in manifests:
    write("manifest", path.name, path.read_bytes())
secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "prod",
          "annotations": {"sealedsecrets.bitnami.com/namespace-wide": "true"}, "labels": {"app": "orders"}},
          "type": "Opaque", "data": {"password": b64(b"hunter2")}, "stringData": {"user": "admin"}}
write("manifest", "secret.json", json.dumps(secret))
write("manifest", "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  a: b\nimmutable: true\n")
key_secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
              "metadata": {"name": "sealed-secrets-key", "namespace": "kube-system",
                           "labels": {"sealedsecrets.bitnami.com/sealed-secrets-key": "active"}},
              "data": {"tls.key": b64(key_pem), "tls.crt": b64(cert_pem)}}
write("manifest", "key-secret.json", json.dumps(key_secret))
write("manifest", "key-list.json", json.dumps({"apiVersion": "v1", "kind": "List", "items": [key_secret]}))

# pem: the fixtures' keys and certificates, plus the key as PKCS#8.
for path in [vectors / "key.pem", vectors / "cert.pem", vectors / "other_cert.pem"] + \
        sorted((root / "Tests/EndToEndTests/Fixtures").glob("*.pem")):
    write("pem", path.name, path.read_bytes())
pkcs8 = subprocess.run(["openssl", "pkey", "-in", str(vectors / "key.pem")], capture_output=True, check=True).stdout
write("pem", "key-pkcs8.pem", pkcs8)
write("pem", "key-secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: k\ndata:\n  tls.crt: " + b64(cert_pem) + "\n")

# template: a spread of the Go/Sprig reference cases, two entries per input (NUL-separated).
cases = json.loads((root / "Tests/SecretTemplateTests/Fixtures/cases.json").read_text())
for index in range(0, min(len(cases), 240), 6):
    first, second = cases[index], cases[(index + 1) % len(cases)]
    write("template", first["id"], (first["template"] + "\0" + second["template"]).encode())

# kubeconfig: the credential kinds the reader resolves.
def kubeconfig(user, cluster_extra=""):
    return ("apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context: {cluster: c, user: u, namespace: team}\n"
            "clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: " + b64(cert_pem[:300]) + "\n"
            + cluster_extra + "users:\n- name: u\n  user:\n" + user)
write("kubeconfig", "token.yaml", kubeconfig("    token: abc\n    as: jane\n    as-groups: [dev]\n"))
write("kubeconfig", "basic.yaml", kubeconfig("    username: u\n    password: p\n", "    insecure-skip-tls-verify: true\n    proxy-url: http://127.0.0.1:3128\n"))
write("kubeconfig", "exec.yaml", kubeconfig("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/true\n      args: [a]\n"
                                            "      env: [{name: A, value: b}]\n      interactiveMode: Never\n      provideClusterInfo: true\n"))
write("kubeconfig", "oidc.yaml", kubeconfig("    auth-provider:\n      name: oidc\n      config:\n        client-id: x\n        id-token: y\n        idp-issuer-url: https://idp.example\n"))
write("kubeconfig", "client-cert.yaml", kubeconfig("    client-certificate-data: " + b64(cert_pem[:200]) + "\n    client-key-data: " + b64(b"k") + "\n"))
write("kubeconfig", "json.json", json.dumps({"current-context": "a", "contexts": [{"name": "a", "context": {"cluster": "a"}}],
                                             "clusters": [{"name": "a", "cluster": {"server": "http://localhost:8080", "tls-server-name": "x"}}]}))

# watch-event: a chunk size byte, then watch lines as the API server sends them.
sealed = json.loads((vectors / "manifests/01-strict-opaque.sealedsecret.json").read_text())
sealed["metadata"].update({"uid": "3f1c2b9a-0000-4000-8000-000000000001", "resourceVersion": "42", "generation": 2})
lines = [{"type": "ADDED", "object": sealed}, {"type": "MODIFIED", "object": {"metadata": {"name": "a", "namespace": "b", "resourceVersion": "43"}}},
         {"type": "BOOKMARK", "object": {"kind": "SealedSecret", "metadata": {"resourceVersion": "44"}}},
         {"type": "DELETED", "object": {"metadata": {"name": "a"}}},
         {"type": "ERROR", "object": {"kind": "Status", "code": 410, "reason": "Expired", "message": "too old resource version"}}]
for index, line in enumerate(lines):
    write("watch-event", f"event-{index}", bytes([index * 37 % 256]) + (json.dumps(line) + "\n").encode())
write("watch-event", "stream", b"\x07" + "".join(json.dumps(line) + "\n" for line in lines[1:]).encode())

# controller-api: even first byte = /v1/verify, odd = /v1/rotate.
for index, path in enumerate(p for p in manifests if ".sealedsecret." in p.name):
    write("controller-api", path.name, bytes([index % 2]) + path.read_bytes())

# reseal: the vector SealedSecrets and the layouts reseal must keep byte for byte.
for path in manifests:
    if ".sealedsecret." in path.name:
        write("reseal", path.name, path.read_bytes())
text = (vectors / "manifests/01-strict-opaque.sealedsecret.yaml").read_text()
write("reseal", "styles.yaml", "# comment kept\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: a, namespace: b}\nspec:\n"
      "  encryptedData:\n    plain: AgBy3i4OJSWK+PiTySYZZA==   # trailing\n    single: 'AgBy3i4O'\n    double: \"AgBy\"\n"
      "    literal: |\n      AgBy3i4O\n    folded: >-\n      AgBy\n      3i4O\n---\nkind: ConfigMap\ndata: {a: b}\n---\n" + text)
write("reseal", "flow.json", '{"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret","metadata":{"name":"a","namespace":"b"},'
      '"spec":{"encryptedData":{"k\\u00e9y":"AgA=","x":"AgB="}}}\n{"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret",'
      '"metadata":{"name":"c"},"spec":{"encryptedData":{"y":"AgC="}}}')
write("reseal", "unicode.yaml", "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: é\n  namespace: ü\n"
      "  annotations: {note: \"日本語\"}\nspec:\n  encryptedData:\n    ключ: AgBy\n    b: AgCz\n")
