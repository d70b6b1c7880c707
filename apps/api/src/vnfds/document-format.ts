import { HttpStatus } from '@nestjs/common';
import type { DocumentFormat } from '#vim/descriptors';
import { PROBLEM, ProblemException } from '../common/problem.js';

const FORMATS: Record<string, DocumentFormat> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/x-yaml': 'yaml',
};

/** The descriptor format a Content-Type names; anything else is a 415. */
export function documentFormat(contentType: string | undefined): DocumentFormat {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const format = FORMATS[mediaType];
  if (format) return format;
  throw new ProblemException({
    type: PROBLEM.unsupportedMediaType,
    title: 'Unsupported Media Type',
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    detail: `send the descriptor as ${Object.keys(FORMATS).join(', ')} (got '${mediaType || 'no Content-Type'}')`,
  });
}
