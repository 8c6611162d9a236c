import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Flattens class-validator's error tree into messages that name the offending field by its path. */
export function describeValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // class-validator starts each message with the bare property name; replace it by the full path.
      message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`,
    );
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** Validates plain JSON against a contract class: unknown fields and wrong types are refused. */
/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Paths of keys, at any depth, that would reach an object's prototype machinery when the value is
 * turned into class instances; they are refused before anything reads them.
 */
function prototypeKeys(value: unknown, path: string, depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > 32) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    return PROTOTYPE_KEYS.has(key) ? [at] : prototypeKeys(child, at, depth + 1);
  });
}

export function parseContract<T extends object>(cls: ClassConstructor<T>, value: unknown, prefix = ''): T {
  if (!isJsonObject(value)) {
    throw new ContractViolation([`${prefix || 'value'} must be an object`]);
  }
  const forbidden = prototypeKeys(value, prefix);
  if (forbidden.length) throw new ContractViolation(forbidden.map((path) => `${path} is not allowed`));
  const instance = plainToInstance(cls, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ContractViolation(describeValidationErrors(errors, prefix));
  return instance;
}
