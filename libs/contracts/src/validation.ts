import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { Invalid } from './errors.js';

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

/**
 * Levels of nested arrays and objects a JSON value may have: HTTP bodies (checked on the text, before
 * parsing), socket messages and contracts. Deeper values would overflow the stack of whatever reads
 * them recursively (class-transformer, class-validator); nothing legitimate comes close.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether a value nests arrays and objects deeper than `max` (a lone object is one level). Walked
 * with a stack of its own rather than recursion, so a message a million levels deep is measured
 * without overflowing the call stack; it stops at the first level past `max`, so a cycle is too deep.
 */
export function valueNestsDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}

/** Input that breaks a contract: an `Invalid` whose problems name each offending field by its path. */
export class ContractViolation extends Invalid {
  override readonly name: string = 'ContractViolation';
  constructor(problems: string[]) {
    super(problems);
  }
}

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

/** Validates plain JSON against a contract class: unknown fields, wrong types and deep nesting are refused. */
export function parseContract<T extends object>(cls: ClassConstructor<T>, value: unknown, prefix = ''): T {
  if (!isJsonObject(value)) {
    throw new ContractViolation([`${prefix || 'value'} must be an object`]);
  }
  // Before anything recursive reads it: class-transformer overflows the stack some thousands of levels down.
  if (valueNestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new ContractViolation([`${prefix || 'value'} nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects`]);
  }
  const forbidden = prototypeKeys(value, prefix);
  if (forbidden.length) throw new ContractViolation(forbidden.map((path) => `${path} is not allowed`));
  const instance = plainToInstance(cls, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ContractViolation(describeValidationErrors(errors, prefix));
  return instance;
}
