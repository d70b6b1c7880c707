import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { type FieldProblem, MAX_NESTING_DEPTH, pointer } from '#vim/descriptors';
import { isPlainObject, OBJECT_ENTRIES } from './decorators.js';
import { VnfdDocumentDto } from './vnfd-document.dto.js';

type Segments = (string | number)[];

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A JSON object: not an array, not a Date, Map or class instance. */
function isJsonObject(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Copies the document as plain JSON values, leaving out what the transformer must not see and
 * reporting it: keys that name Object.prototype members (`__proto__`, `constructor`, ...), which
 * class-transformer would silently drop or use to swap an instance's prototype, values that are
 * not JSON (a parser never produces them, but the function takes `unknown`), and nesting deeper
 * than MAX_NESTING_DEPTH.
 */
function sanitize(value: unknown, at: Segments, problems: FieldProblem[]): unknown {
  // Same bound as parseDocument: a collection at path length n is nesting level n + 1.
  if (typeof value === 'object' && value !== null && at.length >= MAX_NESTING_DEPTH) {
    problems.push({ path: pointer(at), message: `document is nested more than ${MAX_NESTING_DEPTH} levels deep` });
    return undefined;
  }
  // Postgres stores neither NUL nor half a surrogate pair, in text or in jsonb.
  if (typeof value === 'string' && UNSTORABLE.test(value)) {
    problems.push({ path: pointer(at), message: 'text must not contain NUL characters or unpaired surrogates' });
    return undefined;
  }
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    problems.push({ path: pointer(at), message: 'value must be a finite number' });
    return undefined;
  }
  if (Array.isArray(value)) return value.map((item, i) => sanitize(item, [...at, i], problems));
  if (isJsonObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key in Object.prototype) {
        problems.push({ path: pointer([...at, key]), message: `property ${key} is not allowed (reserved name)` });
        continue;
      }
      copy[key] = sanitize(value[key], [...at, key], problems);
    }
    return copy;
  }
  problems.push({ path: pointer(at), message: `value of type ${typeof value} is not a JSON value` });
  return undefined;
}

/** Constraints whose failure makes the nested errors of the same value noise (wrong shape). */
const SHAPE_CONSTRAINTS = ['isObject', 'isArray'];

function flatten(errors: readonly ValidationError[], parent: Segments, out: FieldProblem[]): void {
  for (const error of errors) {
    const at = [...parent, error.property];
    const constraints = { ...(error.constraints ?? {}) };
    let children = error.children ?? [];

    // Entries of a modelled list that are not objects: one problem per entry, at its index.
    if (OBJECT_ENTRIES in constraints) {
      delete constraints[OBJECT_ENTRIES];
      const bad = new Set<string>();
      (Array.isArray(error.value) ? (error.value as unknown[]) : []).forEach((entry, i) => {
        if (isPlainObject(entry)) return;
        bad.add(String(i));
        out.push({ path: pointer([...at, i]), message: `entries of ${error.property} must be objects, not ${describe(entry)}` });
      });
      children = children.filter((child) => !bad.has(child.property));
    }
    // The shape check already says it; "nested property x must be either object or array" adds nothing.
    delete constraints.nestedValidation;
    if (SHAPE_CONSTRAINTS.some((name) => name in constraints)) children = [];

    const entries = Object.entries(constraints);
    if (entries.length > 0) {
      const missing = (error.value === undefined || error.value === null) && !('whitelistValidation' in constraints);
      if (missing) out.push({ path: pointer(at), message: `${error.property} is required` });
      else for (const [name, message] of entries) out.push({ path: pointer(at), message: readable(name, message, error.property) });
    }
    if (children.length > 0) flatten(children, at, out);
  }
}

function readable(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') return `unknown property ${property} (not a SOL006/OSM field at this level; misspelt?)`;
  if (constraint === 'unknownValue') return 'value is not a valid object here';
  return message;
}

/**
 * Checks the SOL006 shape of a submitted VNFD with the DTO classes: known fields only at every
 * modelled level (unknown ones are reported, opaque SOL006/OSM blocks are accepted), enums,
 * numbers (numeric strings accepted), nesting. Returns one problem per violation, each with a
 * JSON pointer into the submitted document; never throws.
 */
export function validateVnfdStructure(document: unknown): FieldProblem[] {
  try {
    if (!isJsonObject(document)) {
      return [{ path: '', message: `document must be an object holding a vnfd, not ${describe(document)}` }];
    }
    const problems: FieldProblem[] = [];
    const clean = sanitize(document, [], problems);
    if (problems.some((p) => p.message.startsWith('document is nested'))) return problems;
    const instance = plainToInstance(VnfdDocumentDto, clean as Record<string, unknown>);
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    flatten(errors, [], problems);
    return problems;
  } catch (error) {
    return [{ path: '', message: `document could not be validated: ${error instanceof Error ? error.message : String(error)}` }];
  }
}
