import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { describeValidationErrors, Invalid, isJsonObject } from '#tribunal/contracts';

const BULK_FIELDS = 'tribunal:bulk-fields';

/**
 * A list of thousands of records (an upload's items) that the service checks record by record and
 * stores as given: the request's validation checks only that it is a list and passes it on as
 * parsed. Turned into class instances, 55 MB of items took ~0.8 s of one turn of the event loop.
 */
export const Bulk = (): PropertyDecorator => (target, key) => {
  const fields: (string | symbol)[] = Reflect.getMetadata(BULK_FIELDS, target.constructor) ?? [];
  Reflect.defineMetadata(BULK_FIELDS, [...fields, key], target.constructor);
};

/**
 * The path of the first `__proto__` key in a parsed value, if any (JSON.parse makes it an own key;
 * copied with Object.assign it would set a prototype). Walked with a stack of its own.
 */
export function protoKeyPath(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) node.forEach((child, i) => stack.push([child, `${path}[${i}]`]));
    else
      for (const key of Object.keys(node)) {
        if (key === '__proto__') return `${path}.${key}`;
        stack.push([(node as Record<string, unknown>)[key], `${path}.${key}`]);
      }
  }
  return undefined;
}

/**
 * Every request body and query checked against its DTO: unknown fields refused, each problem named
 * by its path, refused as `Invalid` (answered as a service's invalid input is). Bulk fields (`@Bulk`)
 * are checked as lists and handed on as they were parsed.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new Invalid(describeValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const bulk: string[] = (metadata.metatype && Reflect.getMetadata(BULK_FIELDS, metadata.metatype)) ?? [];
    if (bulk.length === 0 || !isJsonObject(value)) return super.transform(value, metadata);
    const lists = bulk.filter((field) => Array.isArray(value[field]));
    for (const field of lists) {
      const at = protoKeyPath(value[field], field);
      if (at) throw new Invalid(`${at} is not allowed`);
    }
    // An empty list stands in for each bulk list while the rest is validated; anything else is validated as sent.
    const checked = (await super.transform({ ...value, ...Object.fromEntries(lists.map((field) => [field, []])) }, metadata)) as Record<
      string,
      unknown
    >;
    for (const field of lists) checked[field] = value[field];
    return checked;
  }
}
