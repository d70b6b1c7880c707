import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { pointer, type FieldProblem } from '#vim/descriptors';
import { documentProblems, nulProblem } from './body-checks.js';
import { ProblemException } from './problem.js';
import { strictValidationPipe } from './validation.js';

/**
 * The global pipe: the DTO rules (strictValidationPipe), and U+0000 refused in every body field,
 * query parameter and path segment, whatever its DTO says (Postgres would refuse it with a 500).
 * One answer lists both kinds of problem. Query parameters and path segments are named
 * `/query/<name>` and `/path/<name>`: pointers into the request, as they are not in its body.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly rules = strictValidationPipe();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const nuls = nulProblems(value, metadata);
    let transformed: unknown;
    try {
      transformed = await this.rules.transform(value, metadata);
    } catch (error) {
      const errors = error instanceof ProblemException ? error.problem.errors : undefined;
      if (nuls.length === 0 || !errors) throw error;
      throw ProblemException.validation([...nuls, ...errors.filter((e) => !nuls.some((n) => n.path === e.path))]);
    }
    if (nuls.length > 0) throw ProblemException.validation(nuls);
    return transformed;
  }
}

function nulProblems(value: unknown, metadata: ArgumentMetadata): FieldProblem[] {
  if (metadata.type === 'body') return documentProblems(value, { nuls: true });
  if (metadata.type !== 'query' && metadata.type !== 'param') return [];
  const root = metadata.type === 'query' ? 'query' : 'path';
  const entries: [string, unknown][] = metadata.data ? [[metadata.data, value]] : Object.entries(value ?? {});
  return entries.filter(([name, v]) => holdsNul(name) || holdsNul(v)).map(([name]) => nulProblem(pointer([root, name])));
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => holdsNul(k) || holdsNul(v));
  return false;
}
