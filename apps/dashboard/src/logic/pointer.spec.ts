import { describe, expect, test } from '@jest/globals';
import { locatePointer, pointerTokens, problemsByLine, textFormat } from './pointer.js';

const yamlText = [
  'vnfd:', //                       1
  '  id: fw', //                    2
  '  vdu:', //                      3
  '    - id: vdu-a', //             4
  '      virtual-compute-desc: c1', // 5
  '    - id: vdu-b', //             6
  '      virtual-compute-desc: c2', // 7
  '  "a/b": 1', //                  8
  '  "t~x": 2', //                  9
  '  ext-cpd: [{id: left}, {id: right}]', // 10
].join('\n');

const jsonText = JSON.stringify({ vnfd: { id: 'fw', vdu: [{ id: 'a', 'virtual-compute-desc': 'c1' }, { id: 'b', 'virtual-compute-desc': 'c2' }] } }, null, 2);

describe('pointerTokens', () => {
  test('unescapes ~1 and ~0 in that order', () => {
    expect(pointerTokens('/a~1b/~01/0')).toEqual(['a/b', '~1', '0']);
    expect(pointerTokens('')).toEqual([]);
  });
});

describe('locatePointer in YAML', () => {
  test('a key inside an array of mappings', () => {
    expect(locatePointer(yamlText, '/vnfd/vdu/1/virtual-compute-desc')).toEqual({ line: 7, column: 7, exact: true });
    expect(locatePointer(yamlText, '/vnfd/vdu/0/virtual-compute-desc')?.line).toBe(5);
  });
  test('an array item is where the item starts', () => {
    expect(locatePointer(yamlText, '/vnfd/vdu/1')).toEqual({ line: 6, column: 7, exact: true });
  });
  test('escaped keys', () => {
    expect(locatePointer(yamlText, '/vnfd/a~1b')?.line).toBe(8);
    expect(locatePointer(yamlText, '/vnfd/t~0x')?.line).toBe(9);
  });
  test('flow style', () => {
    const at = locatePointer(yamlText, '/vnfd/ext-cpd/1/id');
    expect(at?.line).toBe(10);
    expect(at?.column).toBe(yamlText.split('\n')[9].indexOf('id: right') + 1);
  });
  test('a missing key lands on its nearest ancestor, not exact', () => {
    expect(locatePointer(yamlText, '/vnfd/vdu/0/sw-image-desc')).toEqual({ line: 4, column: 7, exact: false });
    expect(locatePointer(yamlText, '/vnfd/vdu/9')).toMatchObject({ line: 3, exact: false });
  });
  test('the root is the first line with content', () => {
    expect(locatePointer('\n\nvnfd: {}', '')).toEqual({ line: 3, column: 1, exact: true });
  });
});

describe('locatePointer in JSON', () => {
  test('keys and items', () => {
    const lines = jsonText.split('\n');
    const expected = lines.findIndex((l) => l.includes('"c2"')) + 1;
    expect(locatePointer(jsonText, '/vnfd/vdu/1/virtual-compute-desc')?.line).toBe(expected);
    expect(locatePointer(jsonText, '/vnfd/id')?.line).toBe(3);
  });
  test('one-line JSON gives columns', () => {
    const text = '{"vnfd":{"id":"x","vdu":[{"id":"a"}]}}';
    expect(locatePointer(text, '/vnfd/vdu/0/id')).toEqual({ line: 1, column: text.indexOf('"id":"a"') + 1, exact: true });
  });
  test('tab-indented JSON', () => {
    const text = '{\n\t"vnfd": {\n\t\t"id": "x"\n\t}\n}';
    expect(locatePointer(text, '/vnfd/id')?.line).toBe(3);
  });
});

describe('problemsByLine', () => {
  test('groups problems by line', () => {
    const map = problemsByLine(yamlText, [
      { path: '/vnfd/vdu/0/virtual-compute-desc', message: 'unknown' },
      { path: '/vnfd/id', message: 'bad' },
    ]);
    expect(map.get(5)?.[0].message).toBe('unknown');
    expect(map.get(2)?.[0].message).toBe('bad');
  });
  test('textFormat', () => {
    expect(textFormat(' {"a":1}')).toBe('json');
    expect(textFormat('vnfd:\n')).toBe('yaml');
  });
});
