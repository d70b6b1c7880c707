import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU ticks (user + system, 1/100 s) used so far by each process, by pid, with its name. By pid
 * alone: kernel workers rename themselves for each task they run.
 */
function cpuTicks(): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Starts counting; the returned function gives the cores used since, summed by label: `labels`
 * names some pids, every other process counts under its name (all postgres backends together).
 */
export function sampleCpu(labels: ReadonlyMap<number, string>): () => Record<string, number> {
  const before = cpuTicks();
  const started = Date.now();
  return () => {
    const seconds = (Date.now() - started) / 1000;
    const used: Record<string, number> = {};
    for (const [pid, { name, ticks }] of cpuTicks()) {
      const label = labels.get(pid) ?? name.replace(/[/:].*/, '');
      used[label] = (used[label] ?? 0) + (ticks - (before.get(pid)?.ticks ?? 0)) / 100 / seconds;
    }
    return used;
  };
}
