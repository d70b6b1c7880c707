/** The switches' drivers: real ones, or the test's (ChainsModule.register). */
export const ChainDriversToken = Symbol('ChainDrivers');
