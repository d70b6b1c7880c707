// The library's test support: fakes and fixtures for other libraries' and apps' tests, never for production code.
export * from './domain-fixture.js';
export * from './fake-hypervisor.js';
export * from './strict-xml.js';
