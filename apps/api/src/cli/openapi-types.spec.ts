import { describe, expect, test } from '@jest/globals';
import ts from 'typescript';
import { generateOpenApiTypes, type OpenApiDocument, type SchemaObject, schemaType, typeName } from './openapi-types.js';

const doc = (schemas: Record<string, SchemaObject>, paths?: OpenApiDocument['paths']): OpenApiDocument => ({
  openapi: '3.0.0',
  components: { schemas },
  ...(paths && { paths }),
});

/** Type-checks generated source plus `extra` (assertions written against it) as one module. */
function typeErrors(source: string, extra = ''): string[] {
  const fileName = '/virtual/schema.ts';
  const text = `${source}\n${extra}\n`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) => (name === fileName ? ts.createSourceFile(name, text, language) : read(name, language));
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('schemaType', () => {
  test('scalars, formats and unknown', () => {
    expect(schemaType({ type: 'string', format: 'uuid' })).toBe('string');
    expect(schemaType({ type: 'integer' })).toBe('number');
    expect(schemaType({ type: 'number' })).toBe('number');
    expect(schemaType({ type: 'boolean' })).toBe('boolean');
    expect(schemaType({})).toBe('unknown');
    expect(schemaType(undefined)).toBe('unknown');
  });

  test('nullable adds null once', () => {
    expect(schemaType({ type: 'string', nullable: true })).toBe('string | null');
    expect(schemaType({ type: 'string', enum: ['a', null], nullable: true })).toBe('"a" | null');
    expect(schemaType({ nullable: true })).toBe('unknown');
  });

  test('enums become literal unions, const a literal', () => {
    expect(schemaType({ type: 'string', enum: ['UP', 'DOWN', 'DISABLED'] })).toBe('"UP" | "DOWN" | "DISABLED"');
    expect(schemaType({ type: 'integer', enum: [1, 2] })).toBe('1 | 2');
    expect(schemaType({ const: 'x' })).toBe('"x"');
  });

  test('arrays, with parentheses around unions', () => {
    expect(schemaType({ type: 'array', items: { type: 'integer' } })).toBe('number[]');
    expect(schemaType({ type: 'array', items: { type: 'string', enum: ['a', 'b'] } })).toBe('("a" | "b")[]');
    expect(schemaType({ type: 'array', items: { type: 'array', items: { $ref: '#/components/schemas/X' } } })).toBe('X[][]');
    expect(schemaType({ type: 'array', items: { type: 'string' }, nullable: true })).toBe('string[] | null');
  });

  test('$ref names the type; other references are refused', () => {
    expect(schemaType({ $ref: '#/components/schemas/HostView' })).toBe('HostView');
    expect(() => schemaType({ $ref: 'other.json#/X' })).toThrow('unsupported $ref other.json#/X');
  });

  test('oneOf and anyOf are unions, allOf an intersection', () => {
    expect(schemaType({ oneOf: [{ type: 'integer' }, { type: 'string' }] })).toBe('number | string');
    expect(schemaType({ anyOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] })).toBe('A | B');
    expect(schemaType({ allOf: [{ $ref: '#/components/schemas/A' }] })).toBe('A');
    expect(schemaType({ allOf: [{ $ref: '#/components/schemas/A' }, { oneOf: [{ $ref: '#/components/schemas/B' }, { $ref: '#/components/schemas/C' }] }] })).toBe('A & (B | C)');
    expect(schemaType({ allOf: [{ $ref: '#/components/schemas/A' }], properties: { x: { type: 'string' } }, required: ['x'] })).toBe('A & {\n  x: string;\n}');
    expect(schemaType({ allOf: [{ $ref: '#/components/schemas/A' }], nullable: true })).toBe('A | null');
  });

  test('objects: required and optional properties, quoted keys, additionalProperties', () => {
    expect(
      schemaType({ type: 'object', properties: { id: { type: 'string' }, 'vdu-id': { type: 'string' }, n: { type: 'integer' } }, required: ['id'] }),
    ).toBe('{\n  id: string;\n  "vdu-id"?: string;\n  n?: number;\n}');
    expect(schemaType({ type: 'object', additionalProperties: { type: 'integer' } })).toBe('Record<string, number>');
    expect(schemaType({ type: 'object', additionalProperties: true })).toBe('Record<string, unknown>');
    expect(schemaType({ type: 'object' })).toBe('Record<string, unknown>');
    expect(schemaType({ type: 'object', additionalProperties: false })).toBe('Record<string, never>');
    expect(schemaType({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'integer' } })).toBe(
      '{\n  a?: string;\n  [key: string]: unknown;\n}',
    );
  });

  test('descriptions become comments, nested objects are indented', () => {
    expect(
      schemaType({
        type: 'object',
        properties: { inner: { type: 'object', description: 'the inner one', properties: { x: { type: 'boolean', deprecated: true } }, required: ['x'] } },
      }),
    ).toBe('{\n  /** the inner one */\n  inner?: {\n    /** @deprecated */\n    x: boolean;\n  };\n}');
    expect(schemaType({ type: 'object', properties: { a: { type: 'string', description: 'ends */ here' } } })).toContain('ends *\\/ here');
  });

  test('OpenAPI 3.1 type arrays', () => {
    expect(schemaType({ type: ['string', 'null'] })).toBe('string | null');
  });

  test('unknown types are refused', () => {
    expect(() => schemaType({ type: 'file' })).toThrow('unsupported schema type "file"');
  });
});

describe('generateOpenApiTypes', () => {
  const schemas: Record<string, SchemaObject> = {
    HostView: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        state: { type: 'string', enum: ['UP', 'DOWN', 'DISABLED'] },
        capacity: { type: 'array', items: { $ref: '#/components/schemas/CellCapacityView' } },
        lastDiscoveredAt: { type: 'string', nullable: true },
      },
      required: ['id', 'state', 'capacity'],
    },
    CellCapacityView: {
      type: 'object',
      description: 'Per NUMA cell',
      properties: { cellId: { type: 'number' }, freeVfs: { type: 'object', additionalProperties: { type: 'integer' } } },
      required: ['cellId', 'freeVfs'],
    },
    'Weird-Name': { type: 'string' },
  };
  const paths: OpenApiDocument['paths'] = {
    '/api/v1/hosts/{id}': {
      parameters: [],
      get: {
        summary: 'One host',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'verbose', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/HostView' } } } },
          '404': { description: 'none' },
        },
      },
      patch: {
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { enabled: { type: 'boolean' } } } } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/HostView' } } } } },
      },
    },
  };

  test('one exported type per schema, sorted by name, under the header', () => {
    const source = generateOpenApiTypes(doc(schemas), { header: ['generated', 'npm run api:types'] });
    expect(source.startsWith('/*\n * generated\n * npm run api:types\n */\n')).toBe(true);
    expect(source.match(/^export type (\w+)/gm)).toEqual(['export type CellCapacityView', 'export type HostView', 'export type Weird_Name']);
    expect(source).toContain('/** Per NUMA cell */\nexport type CellCapacityView = {\n  cellId: number;\n  freeVfs: Record<string, number>;\n};');
    expect(source).toContain('  state: "UP" | "DOWN" | "DISABLED";\n  capacity: CellCapacityView[];\n  lastDiscoveredAt?: string | null;\n');
    expect(source).not.toContain('export interface paths');
  });

  test('the default header says the file is generated and how to regenerate it', () => {
    const source = generateOpenApiTypes(doc({}));
    expect(source).toMatch(/Do not edit/);
    expect(source).toMatch(/npm run api:types/);
  });

  test('the same document gives the same text, whatever the order of its schemas', () => {
    const reversed = Object.fromEntries(Object.entries(schemas).reverse());
    expect(generateOpenApiTypes(doc(reversed, paths))).toBe(generateOpenApiTypes(doc(schemas, paths)));
  });

  test('the output compiles under strict TypeScript and means what the document says', () => {
    const source = generateOpenApiTypes(doc(schemas, paths));
    const fits = `
      const cell: CellCapacityView = { cellId: 0, freeVfs: { 'sriov-a': 8 } };
      const host: HostView = { id: 'x', state: 'UP', capacity: [cell], lastDiscoveredAt: null };
      type Get = paths['/api/v1/hosts/{id}']['get'];
      const ok: Get['responses']['200']['application/json'] = host;
      const params: Get['parameters'] = { path: { id: 'x' }, query: { verbose: true } };
      const body: paths['/api/v1/hosts/{id}']['patch']['requestBody']['application/json'] = { enabled: false };
      export { ok, params, body };`;
    expect(typeErrors(source, fits)).toEqual([]);
    const misfits = [
      `export const a: HostView = { id: 'x', state: 'GONE', capacity: [] };`,
      `export const b: HostView = { id: 'x', state: 'UP' };`,
      `export const c: CellCapacityView = { cellId: 0, freeVfs: { a: 'eight' } };`,
      `export const d: paths['/api/v1/hosts/{id}']['get']['parameters'] = { query: {} };`,
    ];
    for (const misfit of misfits) expect(typeErrors(source, misfit)).not.toEqual([]);
  });

  test('schemas whose names clash as identifiers are refused', () => {
    expect(() => generateOpenApiTypes(doc({ 'a-b': { type: 'string' }, a_b: { type: 'string' } }))).toThrow('both become the type a_b');
  });

  test('a document that is not OpenAPI 3 is refused', () => {
    expect(() => generateOpenApiTypes({ openapi: '2.0' } as OpenApiDocument)).toThrow('not an OpenAPI 3 document');
  });

  test('typeName makes identifiers', () => {
    expect(typeName('HostView')).toBe('HostView');
    expect(typeName('2fa-thing')).toBe('_2fa_thing');
  });
});
