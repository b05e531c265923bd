// A small YAML reader and writer, enough for Kubernetes Secret and SealedSecret manifests.
//
// Reading: block and flow mappings and sequences, plain, single- and double-quoted scalars
// (also over several lines), literal and folded block scalars with chomping and indentation
// indicators, comments, several documents (`---`, `...`), `%` directives, and `!!str`-style
// tags (ignored, except that `!!str` keeps a scalar a string). Plain scalars are typed by the
// YAML 1.2 core schema, as SealKit's CLI reads them (`yes` is a string).
// Not supported, with an error: anchors and aliases, complex (`?`) keys, tabs as indentation.
//
// Mappings are `Map`s (key order is kept), sequences arrays, and scalars strings, `null`,
// booleans, or `YAMLNumber` (a number that keeps its exact text).
//
// Errors name a line and column, never the text found there: a manifest holds secrets.

/** A number as written (`0x1F`, `1e3`, `8080`), so writing it back changes nothing. */
export class YAMLNumber {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

/** Why a document could not be read; the message never quotes the input. */
export class YAMLError extends Error {
  constructor(message, line, column) {
    super(line === undefined ? message : `line ${line}, column ${column}: ${message}`);
    this.name = 'YAMLError';
  }
}

const CORE_NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const CORE_TRUE = new Set(['true', 'True', 'TRUE']);
const CORE_FALSE = new Set(['false', 'False', 'FALSE']);
const CORE_SPECIAL_FLOAT = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  '.nan', '.NaN', '.NAN']);
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** The YAML 1.2 core schema's reading of a plain scalar. */
export function resolvePlain(text) {
  if (CORE_NULL.has(text)) return null;
  if (CORE_TRUE.has(text)) return true;
  if (CORE_FALSE.has(text)) return false;
  if (CORE_SPECIAL_FLOAT.has(text) || CORE_INT.test(text) || CORE_FLOAT.test(text)) return new YAMLNumber(text);
  return text;
}

/**
 * Every document of a YAML (or JSON) text, in order. Documents that hold nothing (only
 * comments, or an empty `---`) are left out.
 */
export function parseDocuments(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const documents = [];
  let current = [];
  let startLine = 0;
  let explicit = false;
  const flush = () => {
    const value = new Parser(current, startLine).parseDocument();
    if (value !== undefined) documents.push(value);
    else if (explicit) { /* an empty explicit document: nothing to seal */ }
  };
  let inDirectives = true;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (inDirectives && line.startsWith('%')) { current.push(''); continue; }
    const marker = /^(---|\.\.\.)(?=[ \t]|$)/.exec(line);
    if (marker) {
      flush();
      current = [];
      startLine = index;
      explicit = marker[1] === '---';
      inDirectives = marker[1] === '...';
      // `--- value` puts the document's first node on the marker's line.
      current.push(marker[1] === '---' ? ' '.repeat(3) + line.slice(3) : '');
      continue;
    }
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) inDirectives = false;
    current.push(line);
  }
  flush();
  return documents;
}

/** Reads one document: the lines between two markers. */
class Parser {
  constructor(lines, firstLine) {
    this.lines = lines;
    this.firstLine = firstLine;
    this.li = 0;
    this.ci = 0;
  }

  error(message, li = this.li, ci = this.ci) {
    return new YAMLError(message, this.firstLine + li + 1, ci + 1);
  }

  get line() { return this.lines[this.li]; }
  eof() { return this.li >= this.lines.length; }
  /** The current character; '\n' at the end of a line, '' at the end of the document. */
  ch(offset = 0) {
    if (this.eof()) return '';
    const line = this.line;
    const index = this.ci + offset;
    return index < line.length ? line[index] : '\n';
  }

  /** Skips spaces on this line; a comment runs to the end of the line. */
  skipInline() {
    const line = this.line;
    while (this.ci < line.length && (line[this.ci] === ' ' || line[this.ci] === '\t')) this.ci++;
    if (this.ci < line.length && line[this.ci] === '#') this.ci = line.length;
  }

  atLineEnd() { return this.eof() || this.ci >= this.line.length; }

  /** Moves to the next character that is not space, comment or line break. */
  skipToContent() {
    while (!this.eof()) {
      this.skipInline();
      if (!this.atLineEnd()) {
        const indentation = /^[ \t]*/.exec(this.line)[0];
        if (this.ci === indentation.length && indentation.includes('\t')) throw this.error('tabs are not allowed in indentation');
        return;
      }
      this.li++;
      this.ci = 0;
    }
  }

  /** Whether the current position is the first content of its line. */
  atLineStart() {
    return this.line.slice(0, this.ci).trim() === '';
  }

  parseDocument() {
    this.skipToContent();
    if (this.eof()) return undefined;
    const value = this.parseBlock(-1);
    this.skipToContent();
    if (!this.eof()) throw this.error('unexpected content (check the indentation)');
    return value;
  }

  /** A node more indented than `parentIndent`, or null when there is none. */
  parseBlock(parentIndent) {
    this.skipToContent();
    if (this.eof() || this.ci <= parentIndent) return null;
    const column = this.ci;
    const c = this.ch();
    if (c === '-' && /[ \t\n]/.test(this.ch(1))) return this.parseSequence(column);
    if (c === '?' && /[ \t\n]/.test(this.ch(1))) throw this.error('complex mapping keys (?) are not supported');
    if (this.mappingKeyAhead()) return this.parseMapping(column);
    return this.parseInline(parentIndent);
  }

  /** Whether a `key:` starts at the current position (on this line). */
  mappingKeyAhead() {
    const line = this.line;
    let index = this.ci;
    const first = line[index];
    if (first === '"' || first === "'") {
      index++;
      while (index < line.length) {
        if (first === "'" && line[index] === "'") {
          if (line[index + 1] === "'") { index += 2; continue; }
          break;
        }
        if (first === '"' && line[index] === '\\') { index += 2; continue; }
        if (first === '"' && line[index] === '"') break;
        index++;
      }
      if (index >= line.length) return false;
      index++;
      while (line[index] === ' ' || line[index] === '\t') index++;
      return line[index] === ':';
    }
    if (first === '[' || first === '{' || first === '|' || first === '>' || first === '#' || first === '&' ||
        first === '*' || first === '!' || first === '%' || first === '@' || first === '`') {
      return false;
    }
    for (; index < line.length; index++) {
      const c = line[index];
      if (c === ':' && (index + 1 === line.length || line[index + 1] === ' ' || line[index + 1] === '\t')) return true;
      if (c === '#' && (line[index - 1] === ' ' || line[index - 1] === '\t')) return false;
    }
    return false;
  }

  parseMapping(column) {
    const result = new Map();
    let first = true;
    for (;;) {
      this.skipToContent();
      if (this.eof() || this.ci < column) break;
      if (this.ci > column) throw this.error('bad indentation of a mapping entry');
      if (!first && !this.atLineStart()) throw this.error('expected a new line before the next key');
      first = false;
      if (this.ch() === '-' && /[ \t\n]/.test(this.ch(1))) throw this.error('a sequence item where a mapping key was expected');
      if (!this.mappingKeyAhead()) throw this.error('expected a "key: value" mapping entry');
      const keyLine = this.li;
      const keyColumn = this.ci;
      const key = this.parseKey();
      if (result.has(key)) throw this.error(`duplicate key "${printable(key)}"`, keyLine, keyColumn);
      this.ci++; // ':'
      this.skipInline();
      let value;
      if (this.atLineEnd()) {
        const save = [this.li, this.ci];
        this.li++;
        this.ci = 0;
        this.skipToContent();
        // `key:` followed by `- item` at the key's own indentation.
        if (!this.eof() && this.ci === column && this.ch() === '-' && /[ \t\n]/.test(this.ch(1))) {
          value = this.parseSequence(column);
        } else {
          [this.li, this.ci] = save;
          value = this.parseBlock(column);
        }
      } else {
        value = this.parseInline(column);
      }
      result.set(key, value);
    }
    return result;
  }

  parseKey() {
    const c = this.ch();
    let key;
    if (c === '"') key = this.parseDoubleQuoted();
    else if (c === "'") key = this.parseSingleQuoted();
    else {
      const line = this.line;
      let end = this.ci;
      while (end < line.length && !(line[end] === ':' && (end + 1 === line.length || line[end + 1] === ' ' || line[end + 1] === '\t'))) end++;
      const text = line.slice(this.ci, end).trim();
      this.ci = end;
      const value = resolvePlain(text);
      key = value === null ? '' : String(value);
    }
    while (this.ch() === ' ' || this.ch() === '\t') this.ci++;
    if (this.ch() !== ':') throw this.error('expected ":" after a mapping key');
    return key;
  }

  parseSequence(column) {
    const result = [];
    for (;;) {
      this.skipToContent();
      if (this.eof() || this.ci < column) break;
      if (this.ci > column) throw this.error('bad indentation of a sequence item');
      if (!(this.ch() === '-' && /[ \t\n]/.test(this.ch(1)))) break;
      this.ci++;
      this.skipInline();
      result.push(this.atLineEnd() ? this.parseBlock(column) : this.parseBlock(column));
    }
    return result;
  }

  /** A node that starts on the current line after a key or dash. */
  parseInline(parentIndent) {
    const c = this.ch();
    if (c === '&' || c === '*') throw this.error('anchors and aliases are not supported');
    if (c === '!') {
      const match = /^!\S*/.exec(this.line.slice(this.ci));
      const tag = match[0];
      this.ci += tag.length;
      this.skipInline();
      let value;
      if (this.atLineEnd()) value = this.parseBlock(parentIndent);
      else value = this.parseInline(parentIndent);
      if (tag === '!!str' && value !== null && typeof value !== 'string' && !(value instanceof Map) && !Array.isArray(value)) {
        value = String(value);
      } else if (tag === '!!str' && value === null) value = '';
      return value;
    }
    if (c === '|' || c === '>') return this.parseBlockScalar(parentIndent);
    if (c === '"' || c === "'") {
      const value = c === '"' ? this.parseDoubleQuoted() : this.parseSingleQuoted();
      this.expectLineEnd();
      return value;
    }
    if (c === '[' || c === '{') {
      const value = this.parseFlow();
      this.expectLineEnd();
      return value;
    }
    return this.parsePlainBlock(parentIndent);
  }

  expectLineEnd() {
    this.skipInline();
    if (!this.atLineEnd()) throw this.error('unexpected text after a value');
  }

  /** A plain scalar in block context, continued on more-indented lines. */
  parsePlainBlock(parentIndent) {
    const readLine = () => {
      const line = this.line;
      let end = this.ci;
      while (end < line.length) {
        if (line[end] === '#' && (line[end - 1] === ' ' || line[end - 1] === '\t')) break;
        if (line[end] === ':' && (end + 1 === line.length || line[end + 1] === ' ')) {
          throw this.error('a ":" inside a plain value (quote the value)', this.li, end);
        }
        end++;
      }
      const text = line.slice(this.ci, end).trim();
      this.ci = line.length;
      return text;
    };
    let text = readLine();
    let breaks = 0;
    for (let next = this.li + 1; next < this.lines.length; next++) {
      const line = this.lines[next];
      const trimmed = line.trim();
      if (trimmed === '') { breaks++; continue; }
      const indent = line.length - line.trimStart().length;
      if (indent <= parentIndent || trimmed.startsWith('#')) break;
      if (/^(-|\?|:)([ \t]|$)/.test(trimmed) && indent <= parentIndent + 1) break;
      this.li = next;
      this.ci = indent;
      const more = readLine();
      text += breaks > 0 ? '\n'.repeat(breaks) + more : ' ' + more;
      breaks = 0;
    }
    return resolvePlain(text);
  }

  parseBlockScalar(parentIndent) {
    const literal = this.ch() === '|';
    const headerLine = this.li;
    const header = /^[|>]([-+]?)([1-9]?)([-+]?)/.exec(this.line.slice(this.ci));
    let chomp = header[1] || header[3];
    const explicit = header[2] ? Number(header[2]) : 0;
    this.ci += header[0].length;
    if (!/^([ \t]|$)/.test(this.line.slice(this.ci))) throw this.error('bad block scalar header');
    this.expectLineEnd();
    const base = Math.max(parentIndent, 0);
    let indent = explicit ? (parentIndent < 0 ? 0 : parentIndent) + explicit : 0;
    const content = [];
    let index = headerLine + 1;
    for (; index < this.lines.length; index++) {
      const line = this.lines[index];
      const lineIndent = line.length - line.replace(/^ +/, '').length;
      if (line.trim() === '') {
        content.push(line.length > indent && indent ? line.slice(indent) : '');
        continue;
      }
      if (!indent) {
        if (lineIndent <= parentIndent) break;
        indent = lineIndent;
        if (indent <= base && parentIndent >= 0) break;
      }
      if (lineIndent < indent) break;
      content.push(line.slice(indent));
    }
    // Trailing blank lines belong to the scalar only as line breaks.
    let trailing = 0;
    while (content.length && content[content.length - 1].trim() === '') { content.pop(); trailing++; }
    this.li = index - 1;
    this.ci = this.lines[this.li] ? this.lines[this.li].length : 0;
    // Leave trailing blank lines to the caller's skipping.
    let body;
    if (literal) {
      body = content.join('\n');
    } else {
      // Folding: a break between two normal lines is a space; empty lines are newlines; the
      // breaks around more-indented lines are kept.
      body = '';
      let previous = null;
      let empty = 0;
      for (const line of content) {
        if (line === '') { empty++; continue; }
        const type = /^[ \t]/.test(line) ? 'more' : 'normal';
        if (previous === null) body += '\n'.repeat(empty) + line;
        else if (previous === 'normal' && type === 'normal') body += (empty ? '\n'.repeat(empty) : ' ') + line;
        else body += '\n'.repeat(empty + 1) + line;
        empty = 0;
        previous = type;
      }
    }
    if (content.length === 0) return chomp === '+' ? '\n'.repeat(trailing) : '';
    if (chomp === '-') return body;
    if (chomp === '+') return body + '\n' + '\n'.repeat(trailing);
    return body + '\n';
  }

  /** Consumes a line break inside a quoted scalar or flow collection; false at the end. */
  nextLine() {
    if (this.li + 1 >= this.lines.length) return false;
    this.li++;
    this.ci = 0;
    return true;
  }

  /** The folding of line breaks inside quoted scalars: one break is a space, n are n-1 newlines. */
  foldBreaks() {
    let breaks = 0;
    for (;;) {
      if (!this.nextLine()) throw this.error('unterminated quoted string');
      breaks++;
      while (this.ch() === ' ' || this.ch() === '\t') this.ci++;
      if (this.ch() !== '\n') break;
    }
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
  }

  parseSingleQuoted() {
    const startLine = this.li;
    const startColumn = this.ci;
    this.ci++;
    let out = '';
    for (;;) {
      const c = this.ch();
      if (c === '') throw this.error('unterminated quoted string', startLine, startColumn);
      if (c === "'") {
        if (this.ch(1) === "'") { out += "'"; this.ci += 2; continue; }
        this.ci++;
        return out;
      }
      if (c === '\n') {
        out = out.replace(/[ \t]+$/, '');
        try { out += this.foldBreaks(); } catch { throw this.error('unterminated quoted string', startLine, startColumn); }
        continue;
      }
      out += c;
      this.ci++;
    }
  }

  parseDoubleQuoted() {
    const startLine = this.li;
    const startColumn = this.ci;
    this.ci++;
    let out = '';
    const simple = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
      ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };
    for (;;) {
      const c = this.ch();
      if (c === '') throw this.error('unterminated quoted string', startLine, startColumn);
      if (c === '"') { this.ci++; return out; }
      if (c === '\\') {
        const e = this.ch(1);
        if (e === '\n') {
          // An escaped line break joins the lines without a space.
          if (!this.nextLine()) throw this.error('unterminated quoted string', startLine, startColumn);
          while (this.ch() === ' ' || this.ch() === '\t') this.ci++;
          continue;
        }
        if (e in simple) { out += simple[e]; this.ci += 2; continue; }
        const width = { x: 2, u: 4, U: 8 }[e];
        if (width) {
          const hex = this.line.slice(this.ci + 2, this.ci + 2 + width);
          if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) throw this.error('bad escape in a double-quoted string');
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) throw this.error('bad escape in a double-quoted string');
          out += String.fromCodePoint(code);
          this.ci += 2 + width;
          continue;
        }
        throw this.error('bad escape in a double-quoted string');
      }
      if (c === '\n') {
        out = out.replace(/[ \t]+$/, '');
        try { out += this.foldBreaks(); } catch { throw this.error('unterminated quoted string', startLine, startColumn); }
        continue;
      }
      out += c;
      this.ci++;
    }
  }

  /** Skips spaces, comments and line breaks inside a flow collection. */
  skipFlowSpace() {
    for (;;) {
      this.skipInline();
      if (this.eof()) return;
      if (this.ci < this.line.length) return;
      if (!this.nextLine()) { this.ci = this.line.length; return; }
    }
  }

  parseFlow() {
    const open = this.ch();
    const close = open === '[' ? ']' : '}';
    const startLine = this.li;
    const startColumn = this.ci;
    this.ci++;
    const result = open === '[' ? [] : new Map();
    for (;;) {
      this.skipFlowSpace();
      const c = this.ch();
      if (c === '' || c === '\n') throw this.error(`unterminated flow collection (missing "${close}")`, startLine, startColumn);
      if (c === close) { this.ci++; return result; }
      if (open === '[') {
        result.push(this.parseFlowValue());
      } else {
        const keyLine = this.li;
        const keyColumn = this.ci;
        const keyValue = this.parseFlowValue(true);
        if (keyValue instanceof Map || Array.isArray(keyValue)) throw this.error('complex mapping keys are not supported', keyLine, keyColumn);
        const key = keyValue === null ? '' : String(keyValue);
        this.skipFlowSpace();
        let value = null;
        if (this.ch() === ':') {
          this.ci++;
          this.skipFlowSpace();
          if (this.ch() !== ',' && this.ch() !== close) value = this.parseFlowValue();
        }
        if (result.has(key)) throw this.error(`duplicate key "${printable(key)}"`, keyLine, keyColumn);
        result.set(key, value);
      }
      this.skipFlowSpace();
      if (this.ch() === ',') { this.ci++; continue; }
      if (this.ch() === close) { this.ci++; return result; }
      throw this.error(`expected "," or "${close}" in a flow collection`);
    }
  }

  parseFlowValue(isKey = false) {
    const c = this.ch();
    if (c === '[' || c === '{') return this.parseFlow();
    if (c === '"') return this.parseDoubleQuoted();
    if (c === "'") return this.parseSingleQuoted();
    if (c === '&' || c === '*') throw this.error('anchors and aliases are not supported');
    if (c === '!') {
      const tag = /^!\S*/.exec(this.line.slice(this.ci))[0];
      this.ci += tag.length;
      this.skipFlowSpace();
      const value = this.parseFlowValue(isKey);
      return tag === '!!str' && value !== null && typeof value !== 'string' ? String(value) : value;
    }
    // A plain scalar: ends at a flow indicator, ": ", " #" or the line's end (plain scalars
    // do not continue over lines inside flow collections here).
    const line = this.line;
    let end = this.ci;
    while (end < line.length) {
      const d = line[end];
      if (d === ',' || d === '[' || d === ']' || d === '{' || d === '}') break;
      if (d === ':' && (end + 1 === line.length || /[ \t,\[\]{}]/.test(line[end + 1]))) break;
      if (d === '#' && (end === 0 || /[ \t]/.test(line[end - 1]))) break;
      end++;
    }
    const text = line.slice(this.ci, end).trim();
    this.ci = end;
    return resolvePlain(text);
  }
}

/** A key for an error message: keys are not secret, but control characters are escaped. */
function printable(text) {
  return JSON.stringify(text).slice(1, -1).slice(0, 80);
}

/** Converts `JSON.parse` output to the reader's model (Maps, YAMLNumber). */
export function fromJSON(value) {
  if (Array.isArray(value)) return value.map(fromJSON);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([key, item]) => [key, fromJSON(item)]));
  }
  if (typeof value === 'number') return new YAMLNumber(String(value));
  return value;
}

/** Documents of a text that is JSON (one or several concatenated objects) or YAML. */
export function parseManifests(text) {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const documents = parseJSONStream(trimmed);
    if (documents) return { documents, format: 'json' };
  }
  return { documents: parseDocuments(text), format: 'yaml' };
}

/** Concatenated JSON values, as kubeseal reads them; null if the text is not JSON. */
function parseJSONStream(text) {
  try {
    return [fromJSON(JSON.parse(text))];
  } catch {
    // Several objects one after another: split where a top-level value ends.
  }
  const documents = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const c = text[index];
    if (inString) {
      if (c === '\\') index++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        try { documents.push(fromJSON(JSON.parse(text.slice(start, index + 1)))); } catch { return null; }
        start = index + 1;
        while (start < text.length && /\s/.test(text[start])) start++;
        if (start < text.length && text[start] !== '{' && text[start] !== '[') return null;
        index = start - 1;
      }
    }
  }
  if (start < text.length || documents.length === 0) return null;
  return documents;
}

// ---- Writing -------------------------------------------------------------------------------

const NUMBERISH_START = /^[0-9+\-.]/;
const NUMBERISH = /^[0-9+\-._:eExXoObBaAcCdDfF]+$/;

/** True when a string written plain would read back as something else (YAML 1.2 or 1.1). */
function needsQuoting(text) {
  if (typeof resolvePlain(text) !== 'string') return true;
  if (['y', 'n', 'yes', 'no', 'on', 'off'].includes(text.toLowerCase())) return true;
  if (text === '') return true;
  if (NUMBERISH_START.test(text) && NUMBERISH.test(text)) return true;
  if (text === '=') return true;
  return false;
}

// Characters libyaml will not write in plain or single-quoted style.
const SPECIAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]/;

function plainAllowed(text) {
  if (text === '' || SPECIAL.test(text) || text.includes('\n') || text.includes('\t')) return false;
  if (/^[ ]|[ ]$/.test(text)) return false;
  if (/^[\[\]{},#&*!|>'"%@`]/.test(text)) return false;
  if (/^[-?:](?:[ ]|$)/.test(text)) return false;
  if (text.startsWith('---') || text.startsWith('...')) return false;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false;
  if (/[\u0085\u2028\u2029]/.test(text)) return false;
  return true;
}

function doubleQuoted(text) {
  return JSON.stringify(text).replace(/[\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalarText(text) {
  if (needsQuoting(text)) return doubleQuoted(text);
  if (plainAllowed(text)) return text;
  if (!SPECIAL.test(text) && !/[\n\u0085\u2028\u2029]/.test(text)) return `'${text.replace(/'/g, "''")}'`;
  return doubleQuoted(text);
}

function literalAllowed(text) {
  if (SPECIAL.test(text) || /[\u0085\u2028\u2029\t]/.test(text)) return false;
  if (/[ ]\n|[ ]$/.test(text)) return false;
  if (/^\n/.test(text)) return false;
  return true;
}

function writeScalar(value, indent) {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value instanceof YAMLNumber) return value.text;
  if (typeof value === 'number') return String(value);
  const text = String(value);
  if (text.includes('\n') && literalAllowed(text)) {
    const trailing = /\n*$/.exec(text)[0].length;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const indicator = text.startsWith(' ') ? '2' : '';
    const pad = ' '.repeat(indent + 2);
    const body = text.slice(0, text.length - trailing);
    const lines = body.split('\n').map((line) => (line === '' ? '' : pad + line));
    return `|${indicator}${chomp}\n${lines.join('\n')}${trailing > 1 ? '\n'.repeat(trailing - 1) : ''}`;
  }
  return scalarText(text);
}

function isCollection(value) { return value instanceof Map || Array.isArray(value); }
function isEmptyCollection(value) { return (value instanceof Map && value.size === 0) || (Array.isArray(value) && value.length === 0); }

function writeNode(value, indent, out) {
  const pad = ' '.repeat(indent);
  if (value instanceof Map) {
    for (const [key, item] of value) writeEntry(pad, indent, key, item, out);
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (item instanceof Map && item.size > 0) {
        // `- key: value`, the item's further keys two columns in.
        let first = true;
        for (const [key, child] of item) {
          writeEntry(first ? `${pad}- ` : `${pad}  `, indent + 2, key, child, out);
          first = false;
        }
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${pad}-`);
        writeNode(item, indent + 2, out);
      } else {
        out.push(`${pad}- ${isEmptyCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : writeScalar(item, indent)}`);
      }
    }
  }
}

function writeEntry(prefix, indent, key, value, out) {
  const head = `${prefix}${scalarText(String(key))}:`;
  if (isEmptyCollection(value)) out.push(`${head} ${Array.isArray(value) ? '[]' : '{}'}`);
  else if (value instanceof Map) { out.push(head); writeNode(value, indent + 2, out); }
  else if (Array.isArray(value)) { out.push(head); writeNode(value, indent, out); }
  else out.push(`${head} ${writeScalar(value, indent)}`);
}

/**
 * Documents as YAML the way `sealkit -o yaml` writes them: each starts with `---`, two-space
 * indentation, sequence items at their key's indentation, literal blocks for multi-line
 * strings, quotes only where a plain scalar would read back as something else.
 */
export function writeYAML(documents) {
  const out = [];
  for (const document of documents) {
    out.push('---');
    if (isCollection(document) && !isEmptyCollection(document)) writeNode(document, 0, out);
    else out.push(isEmptyCollection(document) ? (Array.isArray(document) ? '[]' : '{}') : writeScalar(document, 0));
  }
  return out.join('\n') + '\n';
}

/** Documents as JSON, two-space indented like `kubectl -o json` (and `sealkit`). */
export function writeJSON(documents) {
  const toJSON = (value) => {
    if (value instanceof Map) {
      const object = {};
      for (const [key, item] of value) object[key] = toJSON(item);
      return object;
    }
    if (Array.isArray(value)) return value.map(toJSON);
    if (value instanceof YAMLNumber) {
      const number = Number(value.text);
      return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(value.text) && Number.isFinite(number)
        ? new RawNumber(value.text) : value.text;
    }
    return value;
  };
  return documents.map((document) => stringify(toJSON(document), 0) + '\n').join('');
}

class RawNumber { constructor(text) { this.text = text; } }

function stringify(value, depth) {
  if (value instanceof RawNumber) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => pad + stringify(item, depth + 1)).join(',\n')}\n${end}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${pad}${JSON.stringify(key)}: ${stringify(item, depth + 1)}`).join(',\n')}\n${end}}`;
}
