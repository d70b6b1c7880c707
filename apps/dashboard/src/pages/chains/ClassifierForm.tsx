import type { Classifier } from '../../api/types.js';
import { numberOrText, portRange } from '../../logic/chain-form.js';

/** What enters the chain: ethertype, prefixes, protocol, port ranges. */
export function ClassifierForm({ value, onChange, readOnly }: { value: Classifier; onChange: (c: Classifier) => void; readOnly: boolean }) {
  return (
    <fieldset data-testid="chain-classifier">
      <legend>Classifier</legend>
      <div className="row">
        <label htmlFor="cls-ethertype">Ethertype</label>
        <select id="cls-ethertype" data-testid="classifier-ethertype" value={value.ethertype} disabled={readOnly} onChange={(e) => onChange({ ...value, ethertype: e.target.value as 'ipv4' | 'ipv6' })}>
          <option value="ipv4">IPv4</option>
          <option value="ipv6">IPv6</option>
        </select>
        <label htmlFor="cls-src">Source prefix</label>
        <input id="cls-src" data-testid="classifier-source" value={value.sourcePrefix ?? ''} placeholder="10.0.0.0/8" disabled={readOnly} onChange={(e) => onChange({ ...value, sourcePrefix: e.target.value || undefined })} />
        <label htmlFor="cls-dst">Destination prefix</label>
        <input id="cls-dst" data-testid="classifier-destination" value={value.destinationPrefix ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, destinationPrefix: e.target.value || undefined })} />
        <label htmlFor="cls-proto">Protocol</label>
        <input id="cls-proto" data-testid="classifier-protocol" className="narrow" inputMode="numeric" value={value.protocol ?? ''} placeholder="any" disabled={readOnly} onChange={(e) => onChange({ ...value, protocol: numberOrText(e.target.value) })} />
      </div>
      <div className="row">
        <span>Source ports</span>
        <label htmlFor="cls-sp-from" className="sr-only">
          Source ports from
        </label>
        <input id="cls-sp-from" className="narrow" inputMode="numeric" value={value.sourcePorts?.from ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, sourcePorts: portRange(value.sourcePorts, 'from', e.target.value) })} />
        <span>to</span>
        <label htmlFor="cls-sp-to" className="sr-only">
          Source ports to
        </label>
        <input id="cls-sp-to" className="narrow" inputMode="numeric" value={value.sourcePorts?.to ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, sourcePorts: portRange(value.sourcePorts, 'to', e.target.value) })} />
        <span>Destination ports</span>
        <label htmlFor="cls-dp-from" className="sr-only">
          Destination ports from
        </label>
        <input id="cls-dp-from" data-testid="classifier-dport-from" className="narrow" inputMode="numeric" value={value.destinationPorts?.from ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, destinationPorts: portRange(value.destinationPorts, 'from', e.target.value) })} />
        <span>to</span>
        <label htmlFor="cls-dp-to" className="sr-only">
          Destination ports to
        </label>
        <input id="cls-dp-to" data-testid="classifier-dport-to" className="narrow" inputMode="numeric" value={value.destinationPorts?.to ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, destinationPorts: portRange(value.destinationPorts, 'to', e.target.value) })} />
      </div>
    </fieldset>
  );
}
