import { useMemo } from 'react';
import { problemsByLine } from '../logic/pointer.js';
import type { FieldProblem } from '../api/client.js';

/** A text with line numbers; the lines the problems point at are marked and carry their messages. */
export function NumberedText({ text, problems = [], testId = 'numbered-text' }: { text: string; problems?: FieldProblem[]; testId?: string }) {
  const byLine = useMemo(() => problemsByLine(text, problems), [text, problems]);
  const lines = text.split(/\r\n|\r|\n/);
  const unplaced = byLine.get(0) ?? [];
  return (
    <div className="numbered" data-testid={testId}>
      {unplaced.length > 0 && (
        <ul className="problems-unplaced">
          {unplaced.map((p, i) => (
            <li key={i} data-testid="error-unplaced">
              <code>{p.path || '(root)'}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      <ol className="lines">
        {lines.map((line, index) => {
          const n = index + 1;
          const here = byLine.get(n);
          return (
            <li key={n} className={here ? 'line has-error' : 'line'} data-line={n} data-testid={here ? `error-line-${n}` : undefined}>
              <span className="ln" aria-hidden="true">
                {n}
              </span>
              <code className="src">{line || ' '}</code>
              {here && (
                <ul className="line-problems" aria-label={`Problems at line ${n}`}>
                  {here.map((p, i) => (
                    <li key={i} data-testid="error-message" data-path={p.path}>
                      <strong>line {n}</strong> <code>{p.path}</code>: {p.message}
                      {!p.exact && <em> (at the nearest existing key)</em>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
