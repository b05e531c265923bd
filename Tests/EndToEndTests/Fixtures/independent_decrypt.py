"""Decrypts SealKit ciphertexts with an implementation that shares no code with SealKit:
the PyPI package aes-gcm-rsa-oaep on top of pyca/cryptography (OpenSSL via Rust bindings).

stdin: JSON {"key_pem": path, "cases": [{"ciphertext": b64, "label": str, "plaintext": b64}]}
stdout: one line per case, "ok <index>" or "mismatch <index>"; exit status 0 only if all match.
"""
import base64
import json
import sys

from aes_gcm_rsa_oaep import decrypt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

request = json.load(sys.stdin)
with open(request["key_pem"], "rb") as handle:
    key = load_pem_private_key(handle.read(), password=None)

failures = 0
for index, case in enumerate(request["cases"]):
    label = case["label"].encode()
    # The library passes label=None for "no label"; OAEP treats that as the empty label.
    plaintext = decrypt(base64.b64decode(case["ciphertext"]), key, label if label else None)
    if plaintext == base64.b64decode(case["plaintext"]):
        print(f"ok {index}")
    else:
        failures += 1
        print(f"mismatch {index}")
sys.exit(1 if failures else 0)
