// The page: loads the sealing certificate from the same origin, reads what the user typed or
// loaded, seals it with WebCrypto (seal.js) and shows the result. Nothing typed or loaded
// leaves the page: the only request it makes is for the certificate.

import { describeError, isValidKey, mergeInto, readSecret, sealRaw, sealSecret, secretFromFields } from './manifest.js';
import { SealError, loadCertificate } from './seal.js';
import { parseManifests, writeJSON, writeYAML } from './yaml.js';

const $ = (selector) => document.querySelector(selector);
const encoder = new TextEncoder();

const state = {
  certificate: null,
  output: '',
  filename: 'sealed-secret.yaml',
  mimeType: 'application/yaml',
  busy: false,
};

// ---- messages ------------------------------------------------------------------------------

/** Shows one line of error. The text comes from our own messages, which never quote values. */
function showError(message) {
  const line = String(message).replace(/\s+/g, ' ').trim();
  const element = $('#error');
  element.textContent = line;
  element.hidden = false;
  $('#status').textContent = '';
}

function clearError() {
  const element = $('#error');
  element.textContent = '';
  element.hidden = true;
}

function setStatus(message) {
  $('#status').textContent = message;
}

function setOutput(text, filename, mimeType) {
  state.output = text;
  state.filename = filename;
  state.mimeType = mimeType;
  $('#sealed-output').value = text;
  $('#copy-button').disabled = text === '';
  $('#download-button').disabled = text === '';
}

// ---- certificate ---------------------------------------------------------------------------

async function fetchCertificate() {
  // Relative, so the page also works behind the API server's service proxy (…/proxy/ui/).
  const response = await fetch('../v1/cert.pem', { cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
  if (!response.ok) throw new SealError(`cannot load the sealing certificate: HTTP ${response.status}`);
  return loadCertificate(await response.text());
}

function showCertificate(certificate) {
  $('#cert-fingerprint').textContent = certificate.fingerprint;
  const days = Math.floor((certificate.notAfter - Date.now()) / 86_400_000);
  $('#cert-expiry').textContent = `${certificate.notAfter.toISOString().replace('.000Z', 'Z')} (${days} days)`;
  $('#cert-key').textContent = `RSA ${certificate.bits} bits`;
}

// ---- key/value rows ------------------------------------------------------------------------

let rowCounter = 0;

/** A list of key/value rows whose values are typed or read from files. */
class Rows {
  constructor(container, addButton) {
    this.container = container;
    addButton.addEventListener('click', () => this.add().querySelector('.row-key').focus());
    this.add();
  }

  add() {
    const fragment = $('#row-template').content.cloneNode(true);
    const row = fragment.querySelector('.row');
    const id = ++rowCounter;
    for (const [cls, name] of [['.row-key', 'key'], ['.row-value', 'value'], ['.row-file', 'file']]) {
      const control = row.querySelector(cls);
      control.id = `row-${id}-${name}`;
      control.parentElement.querySelector('label').htmlFor = control.id;
    }
    const remove = row.querySelector('.row-remove');
    remove.setAttribute('aria-label', `Remove key ${this.container.children.length + 1}`);
    remove.addEventListener('click', () => {
      row.remove();
      if (this.container.children.length === 0) this.add();
      this.container.querySelector('.row-key').focus();
    });
    const file = row.querySelector('.row-file');
    const value = row.querySelector('.row-value');
    file.addEventListener('change', () => {
      // A file replaces the typed value; the textarea says so instead of showing the content.
      value.disabled = file.files.length > 0;
      value.placeholder = file.files.length > 0 ? `from the file (${file.files[0].size} bytes)` : '';
      const key = row.querySelector('.row-key');
      if (file.files.length > 0 && key.value === '') key.value = file.files[0].name.replace(/[^-._a-zA-Z0-9]/g, '_');
    });
    this.container.append(row);
    return row;
  }

  /** The rows' items (key, bytes); rows with neither key nor value are skipped. */
  async items() {
    const items = [];
    const seen = new Set();
    let index = 0;
    for (const row of this.container.querySelectorAll('.row')) {
      index++;
      const key = row.querySelector('.row-key').value.trim();
      const file = row.querySelector('.row-file').files[0];
      const text = row.querySelector('.row-value').value;
      if (key === '' && !file && text === '') continue;
      if (key === '') throw new SealError(`row ${index}: the key is empty`);
      if (!isValidKey(key)) throw new SealError(`row ${index}: invalid key "${key}": use letters, digits, '-', '_' or '.'`);
      if (seen.has(key)) throw new SealError(`row ${index}: key "${key}" appears twice`);
      seen.add(key);
      const value = file ? new Uint8Array(await file.arrayBuffer()) : encoder.encode(text);
      items.push({ key, value });
    }
    return items;
  }
}

// ---- modes ---------------------------------------------------------------------------------

function currentMode() {
  return document.querySelector('input[name="mode"]:checked').value;
}

function showMode() {
  const mode = currentMode();
  for (const name of ['secret', 'kv', 'raw', 'merge']) $(`#panel-${name}`).hidden = name !== mode;
  $('#scope-field').hidden = mode === 'merge';
  $('#merge-scope-note').hidden = mode !== 'merge';
  // A raw ciphertext is one long line: wrap it; YAML reads best unwrapped.
  $('#sealed-output').wrap = mode === 'raw' ? 'soft' : 'off';
  clearError();
  setStatus('');
  setOutput('', 'sealed-secret.yaml', 'application/yaml');
}

function safeName(name) {
  return (name || 'sealed-secret').replace(/[^-._a-zA-Z0-9]/g, '_');
}

async function sealSecretMode(publicKey, scope) {
  const text = $('#secret-input').value;
  if (text.trim() === '') throw new SealError('paste a Secret manifest first');
  const { documents } = parseManifests(text);
  if (documents.length === 0) throw new SealError('no Secret found in the input');
  const sealed = [];
  for (const [index, document] of documents.entries()) {
    const secret = readSecret(document, index + 1);
    sealed.push(await sealSecret(publicKey, secret, scope, index + 1));
  }
  const name = sealed[0].get('metadata').get('name');
  return { text: writeYAML(sealed), filename: `${safeName(name)}.sealed.yaml`, mimeType: 'application/yaml' };
}

async function sealKeyValueMode(publicKey, scope, rows) {
  const name = $('#kv-name').value.trim();
  const namespace = $('#kv-namespace').value.trim();
  const type = $('#kv-type').value.trim();
  const items = await rows.items();
  const secret = secretFromFields({ name, namespace, type, items });
  const sealed = await sealSecret(publicKey, secret, scope, undefined, 'fill in the namespace');
  return { text: writeYAML([sealed]), filename: `${safeName(name)}.sealed.yaml`, mimeType: 'application/yaml' };
}

async function sealRawMode(publicKey, scope) {
  const name = $('#raw-name').value.trim();
  const namespace = $('#raw-namespace').value.trim();
  const file = $('#raw-file').files[0];
  const value = file ? new Uint8Array(await file.arrayBuffer()) : encoder.encode($('#raw-value').value);
  const ciphertext = await sealRaw(publicKey, value, scope, namespace, name);
  return { text: ciphertext, filename: `${safeName(name || 'value')}.sealed.txt`, mimeType: 'text/plain' };
}

async function mergeMode(publicKey, rows) {
  const text = $('#merge-input').value;
  if (text.trim() === '') throw new SealError('paste the SealedSecret to add to first');
  const { documents, format } = parseManifests(text);
  if (documents.length !== 1) throw new SealError(`expected exactly one SealedSecret, found ${documents.length} documents`);
  const items = await rows.items();
  if (items.length === 0) throw new SealError('add at least one key to seal into the SealedSecret');
  const { sealed } = await mergeInto(publicKey, documents[0], items);
  const name = sealed.get('metadata').get('name');
  return format === 'json'
    ? { text: writeJSON([sealed]), filename: `${safeName(name)}.sealed.json`, mimeType: 'application/json' }
    : { text: writeYAML([sealed]), filename: `${safeName(name)}.sealed.yaml`, mimeType: 'application/yaml' };
}

// ---- wiring --------------------------------------------------------------------------------

async function seal(kvRows, mergeRows) {
  if (state.busy || !state.certificate) return;
  state.busy = true;
  const button = $('#seal-button');
  button.disabled = true;
  clearError();
  setStatus('Sealing…');
  setOutput('', state.filename, state.mimeType);
  try {
    const publicKey = state.certificate.publicKey;
    const scope = $('#scope').value;
    let result;
    switch (currentMode()) {
      case 'secret': result = await sealSecretMode(publicKey, scope); break;
      case 'kv': result = await sealKeyValueMode(publicKey, scope, kvRows); break;
      case 'raw': result = await sealRawMode(publicKey, scope); break;
      case 'merge': result = await mergeMode(publicKey, mergeRows); break;
      default: throw new SealError('unknown mode');
    }
    setOutput(result.text, result.filename, result.mimeType);
    setStatus(currentMode() === 'raw' ? 'Sealed: one ciphertext below.' : 'Sealed: the SealedSecret is below.');
  } catch (error) {
    showError(`error: ${describeError(error)}`);
  } finally {
    state.busy = false;
    button.disabled = false;
  }
}

async function copyOutput() {
  const output = $('#sealed-output');
  try {
    await navigator.clipboard.writeText(state.output);
  } catch {
    output.focus();
    output.select();
    document.execCommand('copy');
  }
  setStatus('Copied to the clipboard.');
}

function downloadOutput() {
  const url = URL.createObjectURL(new Blob([state.output], { type: state.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = state.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setStatus(`Downloaded ${state.filename}.`);
}

async function start() {
  const kvRows = new Rows($('#kv-rows'), $('#kv-add'));
  const mergeRows = new Rows($('#merge-rows'), $('#merge-add'));
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', showMode);
  showMode();
  $('#seal-button').addEventListener('click', () => seal(kvRows, mergeRows));
  $('#copy-button').addEventListener('click', copyOutput);
  $('#download-button').addEventListener('click', downloadOutput);
  $('#raw-file').addEventListener('change', () => {
    const file = $('#raw-file').files[0];
    $('#raw-value').disabled = Boolean(file);
    $('#raw-value').placeholder = file ? `from the file (${file.size} bytes)` : '';
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target instanceof HTMLElement
        && event.target.closest('.sealing')) {
      event.preventDefault();
      seal(kvRows, mergeRows);
    }
  });

  // WebCrypto exists only in a secure context: https, or http on localhost / 127.0.0.1.
  if (!globalThis.isSecureContext || !globalThis.crypto || !crypto.subtle) {
    $('#cert-fingerprint').textContent = 'unavailable';
    showError('error: this page needs a secure context for WebCrypto: open it over https '
      + '(the API server proxy) or http://localhost / http://127.0.0.1 (kubectl port-forward, sealkit ui)');
    return;
  }
  try {
    state.certificate = await fetchCertificate();
    showCertificate(state.certificate);
    $('#seal-button').disabled = false;
    document.body.dataset.ready = 'true';
  } catch (error) {
    $('#cert-fingerprint').textContent = 'unavailable';
    showError(`error: ${describeError(error)}`);
  }
}

start();
