/**
 * Validation decorators for SOL006 as OSM writes it (numbers as strings, enums in either case),
 * @ApiProperty option builders, and the composite property decorators the VNFD DTOs are written
 * with. Validators only check: the submitted values are never transformed, since the document is
 * stored as sent.
 */
import { applyDecorators, type Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsObject,
  IsOptional,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { toNumber } from '#vim/descriptors';

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

// ---- Composite property decorators ------------------------------------------------------------
// Each one stands for a decorator stack the DTOs repeat: the @ApiProperty schema plus the checks.

/**
 * Applies `decorators` as if they were stacked above a property in this order. TypeScript applies
 * a stack bottom-up and applyDecorators its arguments first to last, hence the reversal: metadata
 * is registered in the same order as with the stack written out (it orders validation messages).
 */
function stack(...decorators: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(...decorators.reverse());
}

/**
 * The class of a nested DTO, given lazily (`() => VduDto`): it may be declared later in the file or
 * in a module that imports this one. @nestjs/swagger recognises a lazy type only by the name of the
 * function (`type`), so the schema gets its own `type: () => ...` wrapper rather than `cls` itself.
 */
export type ClassThunk = () => Class<unknown>;

/** Required string leaf: `@ApiProperty(textApi(...)) @IsText({ nonEmpty: true })`. */
export function RequiredText(name: string, description: string): PropertyDecorator {
  return stack(ApiProperty(textApi(name, description)), IsText({ nonEmpty: true }));
}

/** Optional string leaf. */
export function OptionalText(name: string, description: string): PropertyDecorator {
  return stack(ApiPropertyOptional(textApi(name, description)), IsOptional(), IsText());
}

/** Optional list of string leaves; `o` as for IsText, applied to each entry. */
export function OptionalTextList(name: string, description: string, o: { nonEmpty?: boolean } = {}): PropertyDecorator {
  return stack(ApiPropertyOptional(textListApi(name, description)), IsOptional(), IsArray(), IsText(o, { each: true }));
}

/** Required number, or numeric string, within `o`. */
export function RequiredNumeric(name: string, description: string, o: NumericOptions = {}): PropertyDecorator {
  return stack(ApiProperty(numericApi(name, description, o)), IsNumeric(o));
}

/** Optional number, or numeric string, within `o`. */
export function OptionalNumeric(name: string, description: string, o: NumericOptions = {}): PropertyDecorator {
  return stack(ApiPropertyOptional(numericApi(name, description, o)), IsOptional(), IsNumeric(o));
}

/** Optional boolean, or "true"/"false". */
export function OptionalBool(name: string, description: string): PropertyDecorator {
  return stack(ApiPropertyOptional(boolApi(name, description)), IsOptional(), IsBooleanLike());
}

/** Required case-insensitive enum. */
export function RequiredEnum(name: string, values: readonly string[], description: string): PropertyDecorator {
  return stack(ApiProperty(enumApi(name, values, description)), IsOneOf(values));
}

/** Optional case-insensitive enum. */
export function OptionalEnum(name: string, values: readonly string[], description: string): PropertyDecorator {
  return stack(ApiPropertyOptional(enumApi(name, values, description)), IsOptional(), IsOneOf(values));
}

/** Optional container kept as submitted: any object. */
export function OpaqueObject(name: string, description: string): PropertyDecorator {
  return stack(ApiPropertyOptional(opaqueObjectApi(name, description)), IsOptional(), IsObject());
}

/** Optional list kept as submitted: any array. */
export function OpaqueList(name: string, description: string): PropertyDecorator {
  return stack(ApiPropertyOptional(opaqueListApi(name, description)), IsOptional(), IsArray());
}

/** Optional value of any shape kept as submitted. */
export function OpaqueValue(name: string, description: string): PropertyDecorator {
  return stack(ApiPropertyOptional(opaqueApi(name, description)), Allow());
}

/** Required nested object, validated as an instance of `cls()`. */
export function RequiredNested(cls: ClassThunk, name: string, description: string): PropertyDecorator {
  return stack(ApiProperty({ name, type: () => cls(), description }), IsObject(), ValidateNested(), Type(cls));
}

/** Optional nested object, validated as an instance of `cls()`. */
export function OptionalNested(cls: ClassThunk, name: string, description: string): PropertyDecorator {
  return stack(ApiPropertyOptional({ name, type: () => cls(), description }), IsOptional(), IsObject(), ValidateNested(), Type(cls));
}

/** Optional list of nested objects, each validated as an instance of `cls()`. */
export function OptionalNestedList(cls: ClassThunk, name: string, description: string): PropertyDecorator {
  return stack(
    ApiPropertyOptional({ name, type: () => cls(), isArray: true, description }),
    IsOptional(),
    IsArray(),
    IsObjectEntries(),
    ValidateNested({ each: true }),
    Type(cls),
  );
}
