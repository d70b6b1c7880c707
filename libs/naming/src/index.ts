// Input rules for every name and number that reaches libvirt, Open vSwitch or ovs-ofctl (README.md).
export {
  asserting, fail, InvalidSpecError, NameRuleError, ok, Problems, quote, type RuleResult, type SpecProblem, unwrap,
} from './result.js';
export { assertExternalIdValue, assertFreeText, checkExternalIdValue, checkFreeText, FREE_TEXT_MAX_LENGTH, type FreeTextOptions } from './text.js';
export {
  assertBridgeName, assertDiskTarget, assertDomainName, assertExternalIdKey, assertHostName, assertHostPath,
  assertInterfaceName, assertMachineType, assertPhysnet, assertSocketPath, assertUuid, checkBridgeName, checkCpuFeature, checkDiskTarget,
  checkDomainName, checkExternalIdKey, checkHostName, checkHostPath, checkInterfaceName, checkMachineType, checkPhysnet,
  checkSocketPath, checkUuid, DOMAIN_NAME_PREFIX, domainNameFor, IFNAME_MAX_LENGTH, MAX_VHOST_USER_PORTS, PATH_MAX_BYTES,
  UNIX_SOCKET_PATH_MAX_BYTES, vduInstanceIdOfDomainName, vhostUserPortName,
} from './identifiers.js';
export {
  assertMacAddress, assertMemoryKib, assertOpenFlowCookie, assertOpenFlowPort, assertPageSizeKib, assertPciAddress,
  assertQueueCount, assertVlanId, checkInteger, checkMacAddress, checkMemoryKib, checkOpenFlowCookie, checkOpenFlowPort,
  checkPageSizeKib, checkPciAddress, checkQueueCount, checkVlanId, formatOpenFlowCookie, MAX_OPENFLOW_COOKIE,
  type PciAddress, parsePciAddress,
} from './hardware.js';
export {
  assertCpuList, assertNumaNodeList, assertRxqAffinity, checkCpuList, checkNumaNodeList, checkRxqAffinity, formatIdSet,
  MAX_CPU_ID, MAX_NUMA_NODE, parseCpuSet, type RxqPin,
} from './cpus.js';
