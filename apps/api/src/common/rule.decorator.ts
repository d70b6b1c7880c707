import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import type { RuleResult } from '#vim/naming';

/**
 * Applies one of the naming rules (libs/naming) as a class-validator constraint, with its message.
 * With `each`, the message names the first entry that breaks the rule.
 */
export function Satisfies(rule: (value: unknown) => RuleResult<unknown>, options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    const property = String(propertyName);
    const message = ({ value }: ValidationArguments): string => {
      const entries: unknown[] = options.each && Array.isArray(value) ? value : [value];
      for (const [i, entry] of entries.entries()) {
        const result = rule(entry);
        if (!result.ok) return `${options.each ? `${property}[${i}]` : property} ${result.message}`;
      }
      return `${property} breaks its rule`;
    };
    registerDecorator({
      name: `satisfies:${rule.name}`,
      target: target.constructor,
      propertyName: property,
      options: { ...options, message },
      validator: { validate: (value: unknown) => rule(value).ok },
    });
  };
}
