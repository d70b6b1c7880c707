// ESM jest: NestJS 12 ships ES modules, so tests run as ESM (see README, "Tests").
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // Libraries by name (package.json "imports"): jest runs their TypeScript sources, Node the build.
  moduleNameMapper: {
    '^#vim/([a-z0-9-]+)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^#vim/([a-z0-9-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...esm, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/architecture/*.spec.ts'] },
    {
      ...esm,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      setupFilesAfterEnv: ['<rootDir>/test/support/migrate.ts'],
    },
  ],
};
