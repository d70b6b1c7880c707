export { type FieldProblem, pointer } from './problem.js';
export { type DocumentFormat, MAX_NESTING_DEPTH, type ParseResult, type SyntaxProblem, parseDocument } from './parse.js';
export { toInteger, toNumber } from './numbers.js';
export { validateVnfdSemantics } from './semantic.js';
export { normalizeVnfd } from './normalize.js';
export * from './model.js';
