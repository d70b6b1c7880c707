/**
 * Validation decorators for SOL006 as OSM writes it (numbers as strings, enums in either case),
 * and @ApiProperty option builders shared by the VNFD DTOs. Validators only check: the submitted
 * values are never transformed, since the document is stored as sent.
 */
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { toNumber } from '../../../../../libs/descriptors/src/index.js';

function shown(args: ValidationArguments): string {
  if (args.value === undefined || Array.isArray(args.value)) return '';
  const json = JSON.stringify(args.value) ?? String(args.value);
  return ` (got ${json.length > 40 ? json.slice(0, 40) + '…' : json})`;
}

function register(
  name: string,
  validate: (value: unknown) => boolean,
  message: (args: ValidationArguments) => string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: { validate: (value: unknown) => validate(value), defaultMessage: message },
    });
}

export interface NumericOptions {
  integer?: boolean;
  min?: number;
  max?: number;
  /** The value must be strictly greater than `min`. */
  exclusiveMin?: boolean;
}

function describeRange(o: NumericOptions): string {
  const parts: string[] = [];
  if (o.min !== undefined) parts.push(`${o.exclusiveMin ? 'greater than' : 'at least'} ${o.min}`);
  if (o.max !== undefined) parts.push(`at most ${o.max}`);
  return parts.length ? ' ' + parts.join(' and ') : '';
}

/** Whether a value passes IsNumeric with these options. */
export function isNumericValue(value: unknown, o: NumericOptions = {}): boolean {
  const n = toNumber(value);
  if (n === undefined) return false;
  if (o.integer && !Number.isInteger(n)) return false;
  if (o.min !== undefined && (o.exclusiveMin ? n <= o.min : n < o.min)) return false;
  return o.max === undefined || n <= o.max;
}

/** A number, or a numeric string such as "2" or "2.0" (OSM writes both), within an optional range. */
export function IsNumeric(o: NumericOptions = {}, options?: ValidationOptions): PropertyDecorator {
  const kind = o.integer ? 'a whole number' : 'a number';
  return register(
    'isNumericValue',
    (v) => isNumericValue(v, o),
    (a) => `${a.property} must be ${kind}${describeRange(o)}, written as a number or a numeric string${shown(a)}`,
    options,
  );
}

/** Constraint name of IsObjectEntries; validate-structure reports it per entry. */
export const OBJECT_ENTRIES = 'isObjectEntries';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every entry of a list is an object. ValidateNested({ each: true }) alone lets a nested array
 * through (it validates the inner entries instead), so lists of modelled entries carry this too.
 */
export function IsObjectEntries(options?: ValidationOptions): PropertyDecorator {
  return register(
    OBJECT_ENTRIES,
    (v) => !Array.isArray(v) || v.every(isPlainObject),
    (a) => `entries of ${a.property} must be objects`,
    options,
  );
}

/** A string-typed leaf: a string, or a number YAML read from an unquoted value (`version: 1.0`). */
export function IsText(o: { nonEmpty?: boolean } = {}, options?: ValidationOptions): PropertyDecorator {
  return register(
    'isText',
    (v) => (typeof v === 'string' && (!o.nonEmpty || v.trim() !== '')) || (typeof v === 'number' && Number.isFinite(v)),
    (a) =>
      options?.each
        ? `entries of ${a.property} must be ${o.nonEmpty ? 'non-empty strings' : 'strings'}`
        : `${a.property} must be ${o.nonEmpty ? 'a non-empty string' : 'a string'}${shown(a)}`,
    options,
  );
}

/** A boolean, or "true"/"false" in any case. */
export function IsBooleanLike(options?: ValidationOptions): PropertyDecorator {
  return register(
    'isBooleanLike',
    (v) => typeof v === 'boolean' || (typeof v === 'string' && ['true', 'false'].includes(v.trim().toLowerCase())),
    (a) => `${a.property} must be true or false${shown(a)}`,
    options,
  );
}

/** One of `allowed`, compared without regard to case (SOL006 writes `static`, OSM `STATIC`). */
export function IsOneOf(allowed: readonly string[], options?: ValidationOptions): PropertyDecorator {
  const lower = allowed.map((a) => a.toLowerCase());
  return register(
    'isOneOf',
    (v) => typeof v === 'string' && lower.includes(v.trim().toLowerCase()),
    (a) => `${a.property} must be one of ${allowed.join(', ')}${shown(a)}`,
    options,
  );
}

// ---- @ApiProperty option builders -------------------------------------------------------------

export function textApi(name: string, description: string): ApiPropertyOptions {
  return { name, type: String, description };
}

export function textListApi(name: string, description: string): ApiPropertyOptions {
  return { name, type: String, isArray: true, description };
}

export function boolApi(name: string, description: string): ApiPropertyOptions {
  return { name, type: Boolean, description: `${description} (true/false, or the strings "true"/"false")` };
}

export function enumApi(name: string, values: readonly string[], description: string): ApiPropertyOptions {
  return { name, type: String, enum: [...values], description: `${description} (case-insensitive)` };
}

export function numericApi(name: string, description: string, o: NumericOptions = {}): ApiPropertyOptions {
  const numberSchema = {
    type: o.integer ? 'integer' : 'number',
    ...(o.min !== undefined ? { minimum: o.min } : {}),
    ...(o.exclusiveMin ? { exclusiveMinimum: true } : {}), // OpenAPI 3.0 form
    ...(o.max !== undefined ? { maximum: o.max } : {}),
  };
  return {
    name,
    description: `${description}. A number or a numeric string ("2", "2.0").`,
    oneOf: [numberSchema, { type: 'string', pattern: '^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$' }],
  };
}

/** A SOL006/OSM container kept as submitted: not modelled further, but accepted. */
export function opaqueObjectApi(name: string, description: string): ApiPropertyOptions {
  return { name, type: 'object', additionalProperties: true, description: `${description}. Kept as submitted.` };
}

/** A SOL006/OSM list kept as submitted. */
export function opaqueListApi(name: string, description: string): ApiPropertyOptions {
  return { name, type: 'array', items: {}, description: `${description}. Kept as submitted.` };
}

/** A SOL006/OSM value of varying shape (container, list or leaf) kept as submitted. */
export function opaqueApi(name: string, description: string): ApiPropertyOptions {
  return { name, description: `${description}. Kept as submitted.` };
}
