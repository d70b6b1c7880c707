export { instance, onHost, tunnelMesh, twoHopChain, twoHopFacts } from './chains.js';
export { interpret, parseRules, type Packet, type Trace } from './interpreter.js';
export { classifierArb, classifies, packetArb, packetWithinArb, rangeArb } from './arbitraries.js';
