import { ChainEditor, ExistingChain } from './chains/ChainEditor.js';
import { ChainList } from './chains/ChainList.js';

export function ChainsPage({ params }: { params: string[] }) {
  const selected = params[0];
  return (
    <section aria-labelledby="chains-title">
      <h2 id="chains-title">Service chains</h2>
      <ChainList selected={selected} />
      {selected === 'new' ? <ChainEditor key="new" /> : selected ? <ExistingChain key={selected} id={selected} /> : null}
    </section>
  );
}
