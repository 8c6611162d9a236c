export * from './builtin-debater.js';
export * from './citations.js';
export * from './rules.js';
export * from './seating.js';
export * from './views.js';
