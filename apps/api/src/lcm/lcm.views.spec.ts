import { describe, expect, test } from '@jest/globals';
import {
  type HostEntity,
  InstantiationState,
  LcmOperation,
  LcmOperationState,
  type LcmOpOccEntity,
  type VduInstanceEntity,
  VduInstanceState,
  type VnfInstanceEntity,
} from '#vim/persistence';
import { type InstanceRecord, toInstanceView, toOpView } from './lcm.views.js';

const at = new Date('2030-01-01T00:00:00Z');
const vnfd = { id: 'd1', version: '1.0', provider: 'Acme', productName: 'acme-fw', softwareVersion: null };

function instance(state: InstantiationState): VnfInstanceEntity {
  return {
    id: 'i1', tenantId: 't', vnfDescriptorId: 'd1', name: 'fw-1', description: null, instantiationState: state, flavourId: 'default',
    instantiationLevelId: null, scaleStatus: [], extCpBindings: { in: { bridge: 'br-int' } }, createdAt: at, updatedAt: at,
  };
}

const vm = {
  id: 'v1', vnfInstanceId: 'i1', vduId: 'fw-vdu', hostId: 'h1', host: { name: 'compute-1' } as HostEntity, numaCell: 1, state: VduInstanceState.ACTIVE,
  domainName: 'vim-v1', domainUuid: null, ports: [{ cpdId: 'in-int', kind: 'vhostuser', name: 'vhu1' }], createdAt: at, updatedAt: at,
  powerState: 'PAUSED', powerStateReason: 'unknown', powerStateAt: at, affinityGroups: [], antiAffinityGroups: [],
} as VduInstanceEntity;

describe('toInstanceView', () => {
  test('NOT_INSTANTIATED: no instantiatedVnfInfo, and instantiate is the next step', () => {
    const view = toInstanceView({ row: instance(InstantiationState.NOT_INSTANTIATED), vnfd, vms: [] } as InstanceRecord);
    expect(view).toMatchObject({ id: 'i1', vnfInstanceName: 'fw-1', vnfdId: 'd1', vnfdVersion: '1.0', instantiationState: 'NOT_INSTANTIATED' });
    expect(view).not.toHaveProperty('instantiatedVnfInfo');
    expect(Object.keys(view._links).sort()).toEqual(['instantiate', 'self', 'vnfd']);
  });

  test("INSTANTIATED: flavour, bindings and the VMs with their host and libvirt's last word on them", () => {
    const view = toInstanceView({ row: instance(InstantiationState.INSTANTIATED), vnfd, vms: [vm], pinnedCpus: new Map([['v1', [2, 3]]]) } as InstanceRecord);
    expect(view.instantiatedVnfInfo).toEqual({
      flavourId: 'default',
      instantiationLevelId: null,
      extCpBindings: { in: { bridge: 'br-int' } },
      scaleStatus: [],
      vnfcResourceInfo: [
        { id: 'v1', vduId: 'fw-vdu', state: 'ACTIVE', hostId: 'h1', hostName: 'compute-1', numaCell: 1, pinnedCpus: [2, 3], domainName: 'vim-v1',
          powerState: 'PAUSED', powerStateReason: 'unknown', powerStateAt: at.toISOString(), ports: vm.ports },
      ],
    });
    expect(view._links.terminate.href).toBe('/api/v1/vnf_instances/i1/terminate');
  });
});

describe('toOpView', () => {
  const op = (operationState: LcmOperationState) =>
    ({
      id: 'o1', tenantId: 't', vnfInstanceId: 'i1', operation: LcmOperation.INSTANTIATE, operationState, stateEnteredTime: at, startTime: at,
      isAutomaticInvocation: false, isCancelPending: false, operationParams: { flavourId: 'default' }, currentStep: null, error: null, timings: {},
      createdAt: at, updatedAt: at,
    }) as LcmOpOccEntity;

  test('the SOL003 fields', () => {
    expect(toOpView(op(LcmOperationState.STARTING))).toMatchObject({
      id: 'o1', operationState: 'STARTING', stateEnteredTime: at.toISOString(), vnfInstanceId: 'i1', operation: 'INSTANTIATE', error: null,
      _links: { self: { href: '/api/v1/vnf_lcm_op_occs/o1' }, vnfInstance: { href: '/api/v1/vnf_instances/i1' } },
    });
  });

  test('retry, rollback and fail are offered only while FAILED_TEMP, cancel only while it runs and none is pending', () => {
    const links = (o: LcmOpOccEntity) => Object.keys(toOpView(o)._links).sort();
    expect(links(op(LcmOperationState.FAILED_TEMP))).toEqual(['fail', 'retry', 'rollback', 'self', 'vnfInstance']);
    for (const state of [LcmOperationState.STARTING, LcmOperationState.PROCESSING, LcmOperationState.ROLLING_BACK]) {
      expect(links(op(state))).toEqual(['cancel', 'self', 'vnfInstance']);
      expect(links({ ...op(state), isCancelPending: true } as LcmOpOccEntity)).toEqual(['self', 'vnfInstance']);
    }
    for (const state of [LcmOperationState.COMPLETED, LcmOperationState.ROLLED_BACK, LcmOperationState.FAILED]) {
      expect(links(op(state))).toEqual(['self', 'vnfInstance']);
    }
  });
});
