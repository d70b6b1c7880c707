// The library's test support: fakes and fixtures for other libraries' and apps' tests, never for production code.
export * from './fake-switch.js';
