import { normalizeVnfd, parseDocument, validateVnfdSemantics, type DocumentFormat, type VnfdModel } from '#vim/descriptors';
import { documentProblems } from '../common/body-checks.js';
import { syntaxProblem } from '../common/body.middleware.js';
import { ProblemException } from '../common/problem.js';
import { validateVnfdStructure } from './dto/index.js';

/** A submitted descriptor: its text as sent, and the document when the body reader already parsed it. */
export interface Submission {
  text: string;
  format: DocumentFormat;
  document?: unknown;
}

/**
 * Every check a descriptor passes before anything is stored, in order: syntax, SOL006 shape,
 * internal consistency, then what the columns can hold. Throws a problem listing all findings
 * of the first stage that fails.
 */
export function acceptSubmission(submission: Submission): VnfdModel {
  if (submission.text.includes('\u0000')) {
    throw ProblemException.validation([{ path: '', message: 'the document must not contain NUL characters' }]);
  }
  const document = readDocument(submission);
  // YAML escapes ("\0") and JSON ones ("\u0000") put NULs in values the text does not show.
  const nuls = documentProblems(document, { nuls: true });
  if (nuls.length > 0) throw ProblemException.validation(nuls);
  const structural = validateVnfdStructure(document);
  if (structural.length > 0) throw ProblemException.validation(structural, 'the descriptor does not have the SOL006 shape');
  const semantic = validateVnfdSemantics(document);
  if (semantic.length > 0) throw ProblemException.validation(semantic, 'the descriptor contradicts itself');
  const model = normalizeVnfd(document);
  const tooLong = columnOverflows(model);
  if (tooLong.length > 0) throw ProblemException.validation(tooLong);
  return model;
}

function readDocument(submission: Submission): unknown {
  if (submission.document !== undefined) return submission.document;
  const parsed = parseDocument(submission.text, submission.format);
  if (!parsed.ok) throw syntaxProblem(parsed.problem);
  return parsed.document;
}

/** Identifying fields are columns of at most 255 characters. */
function columnOverflows(model: VnfdModel): { path: string; message: string }[] {
  const fields: [string, string | undefined][] = [
    ['/vnfd/id', model.vnfdId],
    ['/vnfd/version', model.version],
    ['/vnfd/provider', model.provider],
    ['/vnfd/product-name', model.productName],
    ['/vnfd/software-version', model.softwareVersion],
  ];
  return fields.filter(([, v]) => v !== undefined && v.length > 255).map(([path]) => ({ path, message: 'must be at most 255 characters' }));
}
