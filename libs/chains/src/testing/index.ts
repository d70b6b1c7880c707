export { instance, twoHopChain, twoHopFacts } from './chains.js';
export { interpret, parseRules, type Packet, type Trace } from './interpreter.js';
