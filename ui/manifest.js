// Secrets in, SealedSecrets out, with the structure `sealkit` writes (DESIGN 1.3):
// top-level metadata gets name, namespace and the scope annotation; spec.template.metadata
// gets the Secret's metadata without server-set fields, ownerReferences and kubectl's
// last-applied-configuration (which would hold the plaintext).

import { YAMLError } from './yaml.js';
import {
  CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION, SealError, base64Decode, scopeLabel, sealValue,
} from './seal.js';

const SERVER_SET_FIELDS = ['uid', 'resourceVersion', 'selfLink', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const encoder = new TextEncoder();

/** An error that names where (document, item) but never a value. */
function fail(message, { document, item } = {}) {
  const where = [document ? `document ${document}` : '', item !== undefined ? `item "${item}"` : ''].filter(Boolean);
  return new SealError(where.length ? `${where.join(': ')}: ${message}` : message);
}

function kindOf(value) {
  if (value instanceof Map) return 'a mapping';
  if (Array.isArray(value)) return 'a sequence';
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value !== 'string') return 'a number';
  return 'a string';
}

function scalarText(value) {
  if (value === null || value === undefined) return '';
  return String(value);
}

function optionalMapping(value, field, where) {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Map)) throw fail(`${field} must be a mapping, found ${kindOf(value)}`, where);
  return value;
}

function optionalString(value, field, where) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Map || Array.isArray(value)) throw fail(`${field} must be a string, found ${kindOf(value)}`, where);
  return String(value);
}

/** A map of strings (labels, annotations), checked. */
function stringMap(metadata, key, where) {
  const value = metadata.get(key);
  if (value === undefined || value === null) return new Map();
  if (!(value instanceof Map)) throw fail(`metadata.${key} must be a mapping of strings, found ${kindOf(value)}`, where);
  const result = new Map();
  for (const [entry, item] of value) {
    if (item instanceof Map || Array.isArray(item)) throw fail(`metadata.${key}.${entry} must be a string, found ${kindOf(item)}`, where);
    result.set(entry, scalarText(item));
  }
  return result;
}

/** Sets labels or annotations as the CLI does: sorted by key, left out when empty. */
function setStringMap(metadata, key, map) {
  if (map.size === 0) { metadata.delete(key); return; }
  const sorted = new Map([...map.keys()].sort(compareKeys).map((entry) => [entry, map.get(entry)]));
  metadata.set(key, sorted);
}

/** Byte order of UTF-8, as Swift sorts the (ASCII) keys. */
function compareKeys(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kubernetes' rule for Secret keys: `[-._a-zA-Z0-9]+`, at most 253 characters. */
export function isValidKey(key) {
  return /^[-._a-zA-Z0-9]{1,253}$/.test(key);
}

/** The scope annotations set for `scope` (and no other scope marker). */
function applyScope(annotations, scope) {
  const result = new Map(annotations);
  result.delete(NAMESPACE_WIDE_ANNOTATION);
  result.delete(CLUSTER_WIDE_ANNOTATION);
  if (scope === 'namespace-wide') result.set(NAMESPACE_WIDE_ANNOTATION, 'true');
  if (scope === 'cluster-wide') result.set(CLUSTER_WIDE_ANNOTATION, 'true');
  return result;
}

/** The scope an object's annotations declare; cluster-wide wins. */
export function scopeOf(annotations) {
  if (annotations.get(CLUSTER_WIDE_ANNOTATION) === 'true') return 'cluster-wide';
  if (annotations.get(NAMESPACE_WIDE_ANNOTATION) === 'true') return 'namespace-wide';
  return 'strict';
}

function nonEmpty(metadata, key) {
  const value = metadata.get(key);
  if (value === undefined || value === null || value instanceof Map || Array.isArray(value)) return undefined;
  const text = String(value);
  return text === '' ? undefined : text;
}

/**
 * Reads a Secret manifest (a parsed document): metadata, type, immutable and its items
 * (`data` base64-decoded, `stringData` as UTF-8; `stringData` wins), sorted by key.
 */
export function readSecret(document, index) {
  const where = { document: index };
  if (!(document instanceof Map)) throw fail(`expected a Secret object, found ${kindOf(document)}`, where);
  const kind = scalarText(document.get('kind'));
  const apiVersion = scalarText(document.get('apiVersion'));
  if (kind !== 'Secret' || (apiVersion !== 'v1' && apiVersion !== '')) {
    const found = kind === '' ? 'an object without a kind' : `${apiVersion ? apiVersion + ' ' : ''}${kind}`;
    throw fail(`expected a v1 Secret, found ${found}`, where);
  }
  const metadataValue = document.get('metadata');
  if (metadataValue !== undefined && metadataValue !== null && !(metadataValue instanceof Map)) {
    throw fail(`Secret metadata must be a mapping, found ${kindOf(metadataValue)}`, where);
  }
  const metadata = new Map(metadataValue || []);
  stringMap(metadata, 'labels', where);
  stringMap(metadata, 'annotations', where);
  const type = optionalString(document.get('type'), 'type', where);
  const immutableValue = document.get('immutable');
  if (immutableValue !== undefined && immutableValue !== null && typeof immutableValue !== 'boolean') {
    throw fail(`immutable must be true or false, found ${kindOf(immutableValue)}`, where);
  }
  const values = new Map();
  const data = optionalMapping(document.get('data'), 'data', where);
  for (const [key, value] of data || []) {
    if (value instanceof Map || Array.isArray(value)) throw fail(`data value must be a base64 string, found ${kindOf(value)}`, { ...where, item: key });
    try {
      values.set(key, base64Decode(scalarText(value)));
    } catch (error) {
      throw fail(`invalid base64 in data: ${error.message}`, { ...where, item: key });
    }
  }
  const stringData = optionalMapping(document.get('stringData'), 'stringData', where);
  for (const [key, value] of stringData || []) {
    if (value instanceof Map || Array.isArray(value)) throw fail(`stringData value must be a string, found ${kindOf(value)}`, { ...where, item: key });
    values.set(key, encoder.encode(scalarText(value)));
  }
  for (const key of values.keys()) {
    if (!isValidKey(key)) throw fail("invalid Secret key: must consist of alphanumerics, '-', '_' or '.'", { ...where, item: key });
  }
  const items = [...values.keys()].sort(compareKeys).map((key) => ({ key, value: values.get(key) }));
  return { metadata, type, immutable: immutableValue ?? undefined, items };
}

/** The metadata a template may carry (DESIGN 1.3). */
function templateMetadata(metadata) {
  const copy = new Map(metadata);
  for (const field of SERVER_SET_FIELDS) copy.delete(field);
  copy.delete('ownerReferences');
  const annotations = stringMap(copy, 'annotations');
  if (annotations.delete(LAST_APPLIED)) setStringMap(copy, 'annotations', annotations);
  return copy;
}

function needNamespace(namespace, scope, where, hint = 'set metadata.namespace') {
  if (namespace) return namespace;
  if (scope === 'cluster-wide') return '';
  throw fail(`${scope} scope needs a namespace: ${hint}`, where);
}

async function sealItems(publicKey, label, items, where) {
  const encryptedData = new Map();
  for (const item of items) {
    try {
      encryptedData.set(item.key, await sealValue(publicKey, label, item.value));
    } catch (error) {
      throw fail(`cannot seal: ${error.message}`, { ...where, item: item.key });
    }
  }
  return encryptedData;
}

/**
 * Seals a Secret (from `readSecret`) as `sealkit --scope SCOPE` does: the chosen scope
 * replaces the Secret's scope annotations.
 */
export async function sealSecret(publicKey, secret, scope, index, namespaceHint = undefined) {
  const where = { document: index };
  const name = nonEmpty(secret.metadata, 'name');
  if (!name) throw fail(namespaceHint ? 'fill in the name' : 'the Secret has no metadata.name', where);
  if (secret.items.length === 0) throw fail(namespaceHint ? 'add at least one key' : 'the Secret has no data or stringData', where);
  const template = templateMetadata(secret.metadata);
  setStringMap(template, 'annotations', applyScope(stringMap(template, 'annotations'), scope));
  const namespace = nonEmpty(secret.metadata, 'namespace');
  const label = scopeLabel(scope, needNamespace(namespace, scope, where, namespaceHint), name);

  const metadata = new Map([['name', name]]);
  if (namespace) metadata.set('namespace', namespace);
  setStringMap(metadata, 'annotations', applyScope(new Map(), scope));
  const templateNode = new Map([['metadata', template]]);
  if (secret.type !== undefined) templateNode.set('type', secret.type);
  if (secret.immutable !== undefined) templateNode.set('immutable', secret.immutable);
  const encryptedData = await sealItems(publicKey, label, secret.items, where);
  return new Map([
    ['apiVersion', 'bitnami.com/v1alpha1'],
    ['kind', 'SealedSecret'],
    ['metadata', metadata],
    ['spec', new Map([['encryptedData', encryptedData], ['template', templateNode]])],
  ]);
}

/**
 * Seals items into an existing SealedSecret (as `--merge-into`): every other item keeps its
 * exact ciphertext; name, namespace and scope come from the existing object's top level.
 */
export async function mergeInto(publicKey, existing, items) {
  if (!(existing instanceof Map) || scalarText(existing.get('kind')) !== 'SealedSecret'
      || scalarText(existing.get('apiVersion')) !== 'bitnami.com/v1alpha1') {
    throw fail('expected a bitnami.com/v1alpha1 SealedSecret to merge into');
  }
  const metadataValue = existing.get('metadata');
  if (!(metadataValue instanceof Map)) throw fail('the SealedSecret has no metadata');
  const name = nonEmpty(metadataValue, 'name');
  if (!name) throw fail('the SealedSecret to merge into has no metadata.name');
  const scope = scopeOf(stringMap(metadataValue, 'annotations'));
  const namespace = needNamespace(nonEmpty(metadataValue, 'namespace'), scope, {});
  const spec = existing.get('spec');
  if (!(spec instanceof Map)) throw fail('the SealedSecret has no spec');
  const current = spec.get('encryptedData');
  if (current !== undefined && current !== null && !(current instanceof Map)) {
    throw fail(`spec.encryptedData must be a mapping, found ${kindOf(current)}`);
  }
  const label = scopeLabel(scope, namespace, name);
  const sealed = await sealItems(publicKey, label, items, {});

  const merged = new Map(existing);
  const newSpec = new Map(spec);
  const encryptedData = new Map(current || []);
  for (const [key, ciphertext] of sealed) encryptedData.set(key, ciphertext);
  newSpec.set('encryptedData', encryptedData);
  // As the CLI: the template's labels and annotations are rewritten sorted.
  const template = new Map(newSpec.get('template') instanceof Map ? newSpec.get('template') : []);
  const templateMeta = new Map(template.get('metadata') instanceof Map ? template.get('metadata') : []);
  setStringMap(templateMeta, 'labels', stringMap(templateMeta, 'labels'));
  setStringMap(templateMeta, 'annotations', stringMap(templateMeta, 'annotations'));
  template.set('metadata', templateMeta);
  newSpec.set('template', template);
  merged.set('spec', newSpec);
  return { sealed: merged, scope };
}

/** One raw value's ciphertext, as `sealkit --raw`. */
export async function sealRaw(publicKey, value, scope, namespace, name) {
  if (scope !== 'cluster-wide' && !namespace) throw fail(`${scope} scope needs a namespace: fill in the namespace`);
  if (scope === 'strict' && !name) throw fail('strict scope needs a name (or choose namespace-wide or cluster-wide)');
  return sealValue(publicKey, scopeLabel(scope, namespace || '', name || ''), value);
}

/** A Secret built from form fields (key/value mode). */
export function secretFromFields({ name, namespace, type, items }) {
  const metadata = new Map();
  if (name) metadata.set('name', name);
  if (namespace) metadata.set('namespace', namespace);
  const sorted = [...items].sort((a, b) => compareKeys(a.key, b.key));
  return { metadata, type: type || undefined, immutable: undefined, items: sorted };
}

/** Messages of the reader's errors, prefixed with the document they come from. */
export function describeError(error) {
  if (error instanceof YAMLError) return `cannot read the input as YAML: ${error.message}`;
  if (error instanceof SyntaxError) return 'cannot read the input as JSON';
  if (error instanceof SealError) return error.message;
  return `unexpected error: ${error && error.name ? error.name : 'unknown'}`;
}
