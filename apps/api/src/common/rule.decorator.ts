import { registerDecorator, type ValidationOptions } from 'class-validator';
import type { RuleResult } from '../../../../libs/naming/src/index.js';

/** Applies one of the naming rules (libs/naming) as a class-validator constraint, with its message. */
export function Satisfies(rule: (value: unknown) => RuleResult<unknown>, options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    let lastMessage = '';
    registerDecorator({
      name: `satisfies:${rule.name}`,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { ...options, message: () => lastMessage },
      validator: {
        validate(value: unknown): boolean {
          const result = rule(value);
          lastMessage = result.ok ? '' : `${String(propertyName)} ${result.message}`;
          return result.ok;
        },
      },
    });
  };
}
