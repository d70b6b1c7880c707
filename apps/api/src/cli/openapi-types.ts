// TypeScript types from an OpenAPI 3 document: one exported type per components.schemas entry and a
// `paths` map (per path and method: parameters, request body, responses). Pure: a document in, the
// source text out, the same text for the same document. openapi-typescript would do this, but its
// peer range stops at TypeScript 5; what the api's document uses is small enough to cover here.

/** The parts of a Schema Object (OpenAPI 3.0, and 3.1's type arrays and const) the generator reads. */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  allOf?: SchemaObject[];
  description?: string;
  deprecated?: boolean;
}

interface ParameterObject {
  $ref?: string;
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: SchemaObject;
}

interface MediaTypes {
  content?: Record<string, { schema?: SchemaObject }>;
  description?: string;
  required?: boolean;
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  parameters?: ParameterObject[];
  requestBody?: MediaTypes;
  responses?: Record<string, MediaTypes>;
}

export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  paths?: Record<string, Record<string, OperationObject | unknown>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface GenerateOptions {
  /** Lines of the header comment; the default says the file is generated and how to regenerate it. */
  header?: string[];
  /** Leave out the `paths` map. */
  noPaths?: boolean;
}

export const DEFAULT_HEADER = [
  'Generated from the api\'s OpenAPI document (/api/docs-json) by apps/api/src/cli/openapi-types.ts. Do not edit.',
  'Regenerate after changing the API: npm run build && npm run api:types',
  'test/e2e/openapi-types.e2e-spec.ts fails when this file differs from what the live document gives.',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A schema name as a TypeScript identifier (names made of other characters get them replaced). */
export function typeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

const propertyKey = (name: string): string => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

function refName(ref: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}: only ${prefix}<name> is resolved`);
  return typeName(decodeURIComponent(ref.slice(prefix.length)).replace(/~1/g, '/').replace(/~0/g, '~'));
}

const literal = (value: unknown): string => (value === null ? 'null' : JSON.stringify(value));

/** Wraps a union or intersection in parentheses where it is an operand (of [] or &). */
function operand(type: string): string {
  return /^[\w$.]+(\[\])*$/.test(type) || /^\(.*\)$/.test(type) || isBalancedBlock(type) || /^"[^"]*"$/.test(type) ? type : `(${type})`;
}

function isBalancedBlock(type: string): boolean {
  if (!type.startsWith('{') || !type.endsWith('}')) return false;
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    if (type[i] === '{') depth++;
    else if (type[i] === '}') depth--;
    if (depth === 0 && i < type.length - 1) return false;
  }
  return true;
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

function comment(text: string | undefined, deprecated: boolean | undefined, indent: string): string {
  const lines = (text ?? '').split('\n').map((line) => line.trimEnd()).filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1));
  if (deprecated) lines.push('@deprecated');
  if (lines.length === 0) return '';
  const safe = lines.map((line) => line.replace(/\*\//g, '*\\/'));
  return safe.length === 1 ? `${indent}/** ${safe[0]} */\n` : `${indent}/**\n${safe.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** The TypeScript type of a schema, written at `indent` (the indentation of the line it starts on). */
export function schemaType(schema: SchemaObject | undefined, indent = ''): string {
  if (!schema || typeof schema !== 'object') return 'unknown';
  const type = baseType(schema, indent);
  return schema.nullable && type !== 'unknown' && !type.split(' | ').includes('null') ? `${type} | null` : type;
}

function baseType(schema: SchemaObject, indent: string): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return union(schema.enum.map(literal));
  if (schema.oneOf) return union(schema.oneOf.map((s) => schemaType(s, indent)));
  if (schema.anyOf) return union(schema.anyOf.map((s) => schemaType(s, indent)));
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => schemaType(s, indent));
    // Sibling properties next to allOf (as Nest writes an extended class) are one more part.
    const { allOf: _allOf, nullable: _nullable, description: _description, ...rest } = schema;
    if (rest.properties || rest.additionalProperties !== undefined) parts.push(objectType(rest, indent));
    return parts.length === 1 ? parts[0] : parts.map(operand).join(' & ');
  }
  if (Array.isArray(schema.type)) {
    return union(schema.type.map((t) => schemaType({ ...schema, type: t, nullable: false }, indent)));
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `${operand(schemaType(schema.items, indent))}[]`;
    case 'object':
      return objectType(schema, indent);
    case undefined:
      return schema.properties || schema.additionalProperties !== undefined ? objectType(schema, indent) : 'unknown';
    default:
      throw new Error(`unsupported schema type ${JSON.stringify(schema.type)}`);
  }
}

function objectType(schema: SchemaObject, indent: string): string {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  const extraType = extra === undefined || extra === true ? 'unknown' : extra === false ? undefined : schemaType(extra, indent + '  ');
  if (properties.length === 0) {
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${extraType}>`;
  }
  const required = new Set(schema.required ?? []);
  const inner = indent + '  ';
  const lines = properties.map(
    ([name, property]) =>
      comment(property.description, property.deprecated, inner) +
      `${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${schemaType(property, inner)};\n`,
  );
  // An index signature must admit every declared property, so the extra properties of a typed
  // object are `unknown` unless only additionalProperties was given.
  if (extra !== undefined && extra !== false) lines.push(`${inner}[key: string]: unknown;\n`);
  return `{\n${lines.join('')}${indent}}`;
}

function parametersType(parameters: ParameterObject[], where: ParameterObject['in'], indent: string): string | undefined {
  const selected = parameters.filter((p) => p.in === where);
  if (selected.length === 0) return undefined;
  const schema: SchemaObject = {
    type: 'object',
    properties: Object.fromEntries(selected.map((p) => [p.name, { ...(p.schema ?? {}), description: p.description ?? p.schema?.description }])),
    required: selected.filter((p) => p.required || where === 'path').map((p) => p.name),
  };
  return objectType(schema, indent);
}

function contentType(media: MediaTypes | undefined, indent: string): string {
  const content = Object.entries(media?.content ?? {});
  if (content.length === 0) return 'never';
  // Types per media type, merged where they agree (JSON and YAML uploads of one descriptor, say).
  const lines = content.map(([name, value]) => `${indent}  ${JSON.stringify(name)}: ${schemaType(value.schema, indent + '  ')};\n`);
  return `{\n${lines.join('')}${indent}}`;
}

function operationType(operation: OperationObject, indent: string): string {
  const inner = indent + '  ';
  const parameters = (operation.parameters ?? []).filter((p) => !p.$ref);
  const parts: string[] = [];
  const paramLines = (['path', 'query', 'header'] as const).flatMap((where) => {
    const type = parametersType(parameters, where, inner + '  ');
    return type ? [`${inner}  ${where}${where === 'path' ? '' : '?'}: ${type};\n`] : [];
  });
  parts.push(paramLines.length ? `${inner}parameters: {\n${paramLines.join('')}${inner}};\n` : `${inner}parameters: Record<string, never>;\n`);
  if (operation.requestBody) {
    parts.push(`${inner}requestBody${operation.requestBody.required ? '' : '?'}: ${contentType(operation.requestBody, inner)};\n`);
  }
  const responses = Object.entries(operation.responses ?? {});
  const responseLines = responses.map(([status, response]) => `${inner}  ${propertyKey(status)}: ${contentType(response, inner + '  ')};\n`);
  parts.push(`${inner}responses: {\n${responseLines.join('')}${inner}};\n`);
  return `{\n${parts.join('')}${indent}}`;
}

function pathsType(paths: NonNullable<OpenApiDocument['paths']>): string {
  const lines = Object.keys(paths)
    .sort()
    .map((path) => {
      const item = paths[path];
      const methods = METHODS.filter((m) => item[m] !== undefined);
      const body = methods
        .map((m) => {
          const operation = item[m] as OperationObject;
          return comment(operation.summary, false, '    ') + `    ${m}: ${operationType(operation, '    ')};\n`;
        })
        .join('');
      return `  ${JSON.stringify(path)}: {\n${body}  };\n`;
    });
  return `export interface paths {\n${lines.join('')}}\n`;
}

/** The TypeScript source for a document: its schemas sorted by name, then the paths map. */
export function generateOpenApiTypes(document: OpenApiDocument, options: GenerateOptions = {}): string {
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.')) {
    throw new Error(`not an OpenAPI 3 document (openapi: ${JSON.stringify(document.openapi)})`);
  }
  const header = options.header ?? DEFAULT_HEADER;
  const out: string[] = [`/*\n${header.map((line) => ` * ${line}`.trimEnd()).join('\n')}\n */\n`];
  const schemas = document.components?.schemas ?? {};
  const seen = new Map<string, string>();
  for (const name of Object.keys(schemas).sort()) {
    const ident = typeName(name);
    const clash = seen.get(ident);
    if (clash !== undefined) throw new Error(`schemas ${clash} and ${name} both become the type ${ident}`);
    seen.set(ident, name);
    const schema = schemas[name];
    out.push(`\n${comment(schema.description, schema.deprecated, '')}export type ${ident} = ${schemaType(schema)};\n`);
  }
  if (!options.noPaths && document.paths) out.push('\n' + pathsType(document.paths));
  return out.join('');
}
