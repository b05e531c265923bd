// Sealing in the browser with WebCrypto, framed exactly as Bitnami Sealed Secrets and SealKit
// frame a value (DESIGN 1.1):
//
//   uint16 big-endian length of the RSA part ‖ RSA-OAEP-SHA256(AES key, label) ‖ AES-256-GCM(value) ‖ tag
//
// with a fresh random 32-byte AES key per value and a 12-byte zero nonce (safe: each key
// encrypts exactly one value), as standard base64 with padding. The label binds the scope:
// strict "namespace/name", namespace-wide "namespace", cluster-wide empty.

/** A failure to show on the page; messages never contain a secret value. */
export class SealError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SealError';
  }
}

// ---- base64 --------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(256).fill(-1);
for (let index = 0; index < ALPHABET.length; index++) DECODE[ALPHABET.charCodeAt(index)] = index;

/** Standard base64 with padding. */
export function base64Encode(bytes) {
  let binary = '';
  const chunk = 0x8000;
  for (let index = 0; index < bytes.length; index += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(index, index + chunk));
  }
  return btoa(binary);
}

/**
 * Decodes standard base64 exactly as Go's `base64.StdEncoding` does (and so kubeseal, the
 * controller and SealKit's CLI): `\r` and `\n` are skipped; padding is required; anything
 * else is an error naming the byte offset Go would report.
 */
export function base64Decode(text) {
  const input = new TextEncoder().encode(text);
  const output = new Uint8Array(Math.floor(input.length / 4) * 3 + 3);
  let length = 0;
  const quantum = [];
  let finished = false;
  const fail = (offset) => { throw new SealError(`illegal base64 data at input byte ${offset}`); };
  const flush = () => {
    // Bits after the last whole byte of a padded quantum are dropped whatever they are: Go's
    // StdEncoding is not Strict(), so "YR==" is "a" for kubeseal and the controller.
    const [a, b, c = 0, d = 0] = quantum;
    const chunk = (a << 18) | (b << 12) | (c << 6) | d;
    output[length++] = chunk >> 16 & 0xff;
    if (quantum.length >= 3) output[length++] = chunk >> 8 & 0xff;
    if (quantum.length === 4) output[length++] = chunk & 0xff;
  };
  for (let index = 0; index < input.length;) {
    const byte = input[index];
    if (byte === 0x0d || byte === 0x0a) { index++; continue; }
    if (finished) fail(index);
    if (byte === 0x3d) { // '='
      if (quantum.length === 2) {
        let next = index + 1;
        while (next < input.length && (input[next] === 0x0d || input[next] === 0x0a)) next++;
        if (next >= input.length || input[next] !== 0x3d) fail(next < input.length ? next : index);
        flush();
        index = next + 1;
      } else if (quantum.length === 3) {
        flush();
        index++;
      } else {
        fail(index);
      }
      quantum.length = 0;
      finished = true;
      continue;
    }
    const value = DECODE[byte];
    if (value < 0) fail(index);
    quantum.push(value);
    if (quantum.length === 4) {
      flush();
      quantum.length = 0;
    }
    index++;
  }
  if (quantum.length > 0) fail(input.length);
  return output.slice(0, length);
}

// ---- DER and the certificate ---------------------------------------------------------------

function readTLV(bytes, offset) {
  if (offset + 2 > bytes.length) throw new SealError('the certificate is truncated');
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) throw new SealError('the certificate is malformed');
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[start + index];
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new SealError('the certificate is truncated');
  return { tag, start, end, offset };
}

function children(bytes, tlv) {
  const result = [];
  for (let offset = tlv.start; offset < tlv.end;) {
    const child = readTLV(bytes, offset);
    result.push(child);
    offset = child.end;
  }
  return result;
}

function parseTime(bytes, tlv) {
  const text = new TextDecoder().decode(bytes.subarray(tlv.start, tlv.end));
  const match = tlv.tag === 0x17
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw new SealError('the certificate has an unreadable validity period');
  let year = Number(match[1]);
  if (tlv.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
}

/** The DER bytes of the first CERTIFICATE block of a PEM text. */
function pemToDER(pem) {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new SealError('no PEM CERTIFICATE block in the certificate');
  try {
    return base64Decode(match[1].replace(/\s+/g, ''));
  } catch {
    throw new SealError('the certificate PEM is not valid base64');
  }
}

function unsignedBytes(bytes) {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/** SSH's fingerprint of an RSA key, as `sealkit keys inspect` and `ssh-keygen -l` print it. */
async function sshFingerprint(modulus, exponent) {
  const encoder = new TextEncoder();
  const parts = [];
  const string = (data) => {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, data.length);
    parts.push(length, data);
  };
  const mpint = (data) => {
    const trimmed = unsignedBytes(data);
    return trimmed[0] & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
  };
  string(encoder.encode('ssh-rsa'));
  string(mpint(exponent));
  string(mpint(modulus));
  const wire = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) { wire.set(part, offset); offset += part.length; }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', wire));
  return 'SHA256:' + base64Encode(digest).replace(/=+$/, '');
}

const RSA_ENCRYPTION_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);

/**
 * Reads and checks the sealing certificate as the CLI does: RSA, at least 2048 bits, within
 * its validity period.
 * @returns {Promise<{publicKey: CryptoKey, bits: number, fingerprint: string, notBefore: Date, notAfter: Date}>}
 */
export async function loadCertificate(pem, now = new Date()) {
  const der = pemToDER(pem);
  const certificate = readTLV(der, 0);
  const tbs = children(der, certificate)[0];
  if (!tbs) throw new SealError('the certificate is malformed');
  let fields = children(der, tbs);
  if (fields[0] && fields[0].tag === 0xa0) fields = fields.slice(1); // [0] version
  // serial, signature algorithm, issuer, validity, subject, subjectPublicKeyInfo
  const [validity, spki] = [fields[3], fields[5]];
  if (!validity || !spki) throw new SealError('the certificate is malformed');
  const [notBeforeTLV, notAfterTLV] = children(der, validity);
  const notBefore = parseTime(der, notBeforeTLV);
  const notAfter = parseTime(der, notAfterTLV);

  const [algorithm, bitString] = children(der, spki);
  const oid = children(der, algorithm)[0];
  const oidBytes = der.subarray(oid.start, oid.end);
  if (oidBytes.length !== RSA_ENCRYPTION_OID.length || !oidBytes.every((byte, index) => byte === RSA_ENCRYPTION_OID[index])) {
    throw new SealError('the certificate does not hold an RSA key');
  }
  // BIT STRING: one byte of unused bits, then RSAPublicKey ::= SEQUENCE { n INTEGER, e INTEGER }.
  const rsaKey = readTLV(der, bitString.start + 1);
  const [modulusTLV, exponentTLV] = children(der, rsaKey);
  const modulus = der.subarray(modulusTLV.start, modulusTLV.end);
  const exponent = der.subarray(exponentTLV.start, exponentTLV.end);
  const bits = unsignedBytes(modulus).length * 8 - Math.clz32(unsignedBytes(modulus)[0]) + 24;
  if (bits < 2048) throw new SealError(`the certificate's RSA key has ${bits} bits; at least 2048 are needed`);
  if (now < notBefore) throw new SealError(`the certificate is not valid before ${notBefore.toISOString()}`);
  if (now > notAfter) throw new SealError(`the certificate expired on ${notAfter.toISOString()}`);

  const publicKey = await crypto.subtle.importKey('spki', der.slice(spki.offset, spki.end),
    { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
  return { publicKey, bits, fingerprint: await sshFingerprint(modulus, exponent), notBefore, notAfter };
}

// ---- scopes and sealing --------------------------------------------------------------------

export const SCOPES = ['strict', 'namespace-wide', 'cluster-wide'];
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** The OAEP label of a scope (DESIGN 1.2). */
export function scopeLabel(scope, namespace, name) {
  const encoder = new TextEncoder();
  switch (scope) {
    case 'strict': return encoder.encode(`${namespace}/${name}`);
    case 'namespace-wide': return encoder.encode(namespace);
    case 'cluster-wide': return new Uint8Array(0);
    default: throw new SealError(`unknown scope "${scope}"`);
  }
}

/**
 * Seals one value (bytes) under `label`; returns the base64 ciphertext. The AES key lives only
 * in this call and is zeroed before it returns.
 */
export async function sealValue(publicKey, label, value) {
  const aesKey = crypto.getRandomValues(new Uint8Array(32));
  try {
    const key = await crypto.subtle.importKey('raw', aesKey, { name: 'AES-GCM' }, false, ['encrypt']);
    const sealedValue = new Uint8Array(await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 128 }, key, value));
    const wrappedKey = new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP', label }, publicKey, aesKey));
    const framed = new Uint8Array(2 + wrappedKey.length + sealedValue.length);
    framed[0] = wrappedKey.length >> 8;
    framed[1] = wrappedKey.length & 0xff;
    framed.set(wrappedKey, 2);
    framed.set(sealedValue, 2 + wrappedKey.length);
    return base64Encode(framed);
  } finally {
    aesKey.fill(0);
  }
}
