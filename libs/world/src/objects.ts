/** Small objects occlude nothing; they are the ones a question can ask about, because they can hide. */
export const SMALL_OBJECT_TYPES: readonly string[] = Object.freeze(['chair', 'lamp', 'box', 'plant', 'vase', 'ball']);

/** Large objects block the camera's view of everything further back in their column. */
export const LARGE_OBJECT_TYPES: readonly string[] = Object.freeze(['table', 'cabinet', 'sofa', 'bookshelf']);

/** Fixed order, because the model's features one-hot over it. */
export const WORLD_OBJECT_TYPES: readonly string[] = Object.freeze([...SMALL_OBJECT_TYPES, ...LARGE_OBJECT_TYPES]);

export const TARGET_TYPES: readonly string[] = SMALL_OBJECT_TYPES;

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { box: 'boxes' };

export function pluralOf(type: string): string {
  return IRREGULAR_PLURALS[type] ?? `${type}s`;
}

export function isOccluderType(type: string): boolean {
  return LARGE_OBJECT_TYPES.includes(type);
}

export function questionFor(targetType: string): string {
  return `How many ${pluralOf(targetType)} are in the room?`;
}

/** Judges get only the question text, so the target type has to be recoverable from it. */
export function targetTypeOf(question: string): string {
  const found = TARGET_TYPES.find((type) => question === questionFor(type));
  if (found === undefined) throw new Error(`not a world question: "${question}"`);
  return found;
}
