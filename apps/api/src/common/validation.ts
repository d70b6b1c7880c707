import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { pointer, type FieldProblem } from '#vim/descriptors';
import { ProblemException } from './problem.js';

/** Flattens class-validator's error tree into one problem per failed constraint, by JSON pointer. */
export function toFieldProblems(errors: ValidationError[], parent: string[] = []): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = [...parent, error.property];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path: pointer(path), message }));
    return [...own, ...toFieldProblems(error.children ?? [], path)];
  });
}

/** The pipe every DTO goes through: unknown fields are refused, not silently dropped. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => ProblemException.validation(toFieldProblems(errors)),
  });
}

/**
 * May be left out, but not sent as null: unlike @IsOptional, null is validated (and refused by
 * the field's rules) instead of reaching a NOT NULL column.
 */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
