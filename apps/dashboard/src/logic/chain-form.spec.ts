import { describe, expect, test } from '@jest/globals';
import type { ServiceChainView } from '../api/types.js';
import { chainPatch, cleanClassifier, cleanPoint, createRequest, emptyDraft, extCpdsOf, fromView, numberOrText, portRange, traceRequest, type Draft } from './chain-form.js';

const hop = (id: string) => ({ instances: [{ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' }] });

describe('chain form', () => {
  test('a number field: empty is left out, an integer is a number, other text is kept for the API to refuse', () => {
    expect(numberOrText('')).toBeUndefined();
    expect(numberOrText('  ')).toBeUndefined();
    expect(numberOrText('17')).toBe(17);
    expect(numberOrText(' 100 ')).toBe(100);
    expect(numberOrText('-1')).toBe(-1);
    expect(numberOrText('tcp')).toBe('tcp');
    expect(numberOrText('1.5')).toBe('1.5');
    expect(numberOrText('10x')).toBe('10x');
  });

  test('a mistyped VLAN or protocol is sent, not dropped (which would widen the chain)', () => {
    expect(cleanPoint({ host: 'h', bridge: 'br-int', vlan: numberOrText('ten'), port: '' })).toEqual({ host: 'h', bridge: 'br-int', vlan: 'ten' });
    expect(cleanPoint({ host: 'h', bridge: 'br-int', vlan: numberOrText('') })).toEqual({ host: 'h', bridge: 'br-int' });
    expect(cleanClassifier({ ethertype: 'ipv4', protocol: numberOrText('tcp'), sourcePrefix: undefined })).toEqual({ ethertype: 'ipv4', protocol: 'tcp' });
    expect(cleanClassifier({ ethertype: 'ipv4', protocol: numberOrText('6') })).toEqual({ ethertype: 'ipv4', protocol: 6 });
  });

  test('port ranges: an empty end takes its bound, both empty is no range, text is kept', () => {
    expect(portRange(undefined, 'from', '80')).toEqual({ from: 80, to: 65535 });
    expect(portRange(undefined, 'to', '443')).toEqual({ from: 0, to: 443 });
    expect(portRange({ from: 80, to: 90 }, 'to', '')).toEqual({ from: 80, to: 65535 });
    expect(portRange({ from: 80, to: 65535 }, 'from', '')).toEqual({ from: 0, to: 65535 });
    expect(portRange(undefined, 'from', '')).toBeUndefined();
    expect(portRange({ from: 80, to: 90 }, 'from', 'http')).toEqual({ from: 'http', to: 90 });
  });

  test('the create body', () => {
    const draft: Draft = { ...emptyDraft(), name: 'c', ingress: { host: 'h', bridge: 'br-int', vlan: numberOrText('x1') }, hops: [hop('a')] };
    expect(createRequest(draft)).toEqual({
      name: 'c',
      ingress: { host: 'h', bridge: 'br-int', vlan: 'x1' },
      egress: { bridge: 'br-int' },
      classifier: { ethertype: 'ipv4' },
      hops: [hop('a')],
      symmetric: false,
      failMode: 'closed',
      priority: 0,
    });
    expect(createRequest({ ...draft, description: 'd' }).description).toBe('d');
  });

  test('the PATCH body holds only what changed', () => {
    const view = {
      name: 'c',
      description: null,
      ingress: { host: 'h', bridge: 'br-int' },
      egress: { host: 'h', bridge: 'br-int' },
      classifier: { ethertype: 'ipv4', protocol: 17 },
      hops: [hop('a'), hop('b')],
      symmetric: false,
      failMode: 'closed',
      priority: 0,
    } as unknown as ServiceChainView;
    const before = fromView(view);
    expect(chainPatch(before, before)).toEqual({});
    expect(chainPatch(before, { ...before, hops: [hop('b'), hop('a')] })).toEqual({ hops: [hop('b'), hop('a')] });
    expect(chainPatch(before, { ...before, classifier: { ethertype: 'ipv4', protocol: 17, sourcePrefix: undefined } })).toEqual({});
    expect(chainPatch(before, { ...before, classifier: { ethertype: 'ipv4', protocol: numberOrText('udp') } })).toEqual({ classifier: { ethertype: 'ipv4', protocol: 'udp' } });
    expect(chainPatch(before, { ...before, symmetric: true, failMode: 'open', priority: 5, description: 'x' })).toEqual({ symmetric: true, failMode: 'open', priority: 5, description: 'x' });
  });

  test('the trace body: ports only for TCP, UDP and SCTP; text kept', () => {
    const form = { ethertype: 'ipv4' as const, source: '10.0.0.1', destination: '10.0.0.2', protocol: '17', sourcePort: '12345', destinationPort: '5201' };
    expect(traceRequest(form)).toEqual({ ethertype: 'ipv4', source: '10.0.0.1', destination: '10.0.0.2', protocol: 17, sourcePort: 12345, destinationPort: 5201 });
    expect(traceRequest({ ...form, protocol: '1' })).toEqual({ ethertype: 'ipv4', source: '10.0.0.1', destination: '10.0.0.2', protocol: 1 });
    expect(traceRequest({ ...form, protocol: '6', sourcePort: '' , destinationPort: 'http' })).toEqual({ ethertype: 'ipv4', source: '10.0.0.1', destination: '10.0.0.2', protocol: 6, destinationPort: 'http' });
    expect(traceRequest({ ...form, protocol: 'tcp' })).toEqual({ ethertype: 'ipv4', source: '10.0.0.1', destination: '10.0.0.2', protocol: 'tcp' });
  });
});

describe('extCpdsOf', () => {
  const vm = (ids: (string | undefined)[]) => ({ ports: ids.map((extCpdId) => ({ extCpdId })) });
  test('the bound ext-cpds, else those the VMs name, once each', () => {
    expect(extCpdsOf({ instantiatedVnfInfo: { extCpBindings: { left: {}, right: {} }, vnfcResourceInfo: [] } } as never)).toEqual(['left', 'right']);
    expect(extCpdsOf({ instantiatedVnfInfo: { vnfcResourceInfo: [vm(['a', undefined, 'b']), vm(['a'])] } } as never)).toEqual(['a', 'b']);
    expect(extCpdsOf({ instantiatedVnfInfo: null } as never)).toEqual([]);
  });
});
