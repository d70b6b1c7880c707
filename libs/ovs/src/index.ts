export { OvsdbClient, OvsdbError, parseRemote } from './ovsdb-client.js';
export { cpusInMask, readSwitchInfo, type SwitchInfo } from './switch-info.js';
