import type { ChainPoint, VnfInstanceView } from '../../api/types.js';
import { extCpdsOf, numberOrText } from '../../logic/chain-form.js';
import { instanceName } from '../Instances.js';

/** The ingress or the egress: a network (host, bridge, VLAN, port) or an instance's ext-cpd. */
export function PointForm(props: { which: 'ingress' | 'egress'; point: ChainPoint; onChange: (p: ChainPoint) => void; readOnly: boolean; instances: VnfInstanceView[]; problems?: string[] }) {
  const { which, point, onChange, readOnly } = props;
  const kind = point.vnfInstanceId !== undefined ? 'instance' : 'network';
  const id = (f: string) => `${which}-${f}`;
  const instance = props.instances.find((i) => i.id === point.vnfInstanceId);
  return (
    <fieldset className={props.problems ? 'has-error' : undefined} data-testid={`chain-${which}`}>
      <legend>{which === 'ingress' ? 'Ingress' : 'Egress'}</legend>
      <div className="row">
        <label htmlFor={id('kind')}>Kind</label>
        <select
          id={id('kind')}
          data-testid={`chain-${which}-kind`}
          value={kind}
          disabled={readOnly}
          onChange={(e) => onChange(e.target.value === 'instance' ? { vnfInstanceId: props.instances[0]?.id ?? '', cpdId: '' } : { host: '', bridge: 'br-int' })}
        >
          <option value="network">network</option>
          <option value="instance">instance connection point</option>
        </select>
      </div>
      {kind === 'network' ? (
        <div className="row">
          <label htmlFor={id('host')}>Host</label>
          <input id={id('host')} data-testid={`chain-${which}-host`} value={point.host ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, host: e.target.value })} />
          <label htmlFor={id('bridge')}>Bridge</label>
          <input id={id('bridge')} data-testid={`chain-${which}-bridge`} value={point.bridge ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, bridge: e.target.value })} />
          <label htmlFor={id('vlan')}>VLAN</label>
          <input
            id={id('vlan')}
            data-testid={`chain-${which}-vlan`}
            className="narrow"
            inputMode="numeric"
            value={point.vlan ?? ''}
            disabled={readOnly}
            onChange={(e) => onChange({ ...point, vlan: numberOrText(e.target.value) })}
          />
          <label htmlFor={id('port')}>OvS port</label>
          <input id={id('port')} data-testid={`chain-${which}-port`} value={point.port ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, port: e.target.value })} />
        </div>
      ) : (
        <div className="row">
          <label htmlFor={id('instance')}>Instance</label>
          <select id={id('instance')} data-testid={`chain-${which}-instance`} value={point.vnfInstanceId ?? ''} disabled={readOnly} onChange={(e) => onChange({ vnfInstanceId: e.target.value, cpdId: '' })}>
            {props.instances.map((i) => (
              <option key={i.id} value={i.id}>
                {instanceName(i)}
              </option>
            ))}
          </select>
          <label htmlFor={id('cpd')}>ext-cpd</label>
          <select id={id('cpd')} data-testid={`chain-${which}-cpd`} value={point.cpdId ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, cpdId: e.target.value })}>
            <option value="">choose</option>
            {(instance ? extCpdsOf(instance) : []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      )}
      {props.problems?.map((p, k) => (
        <p key={k} className="field-error" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}
