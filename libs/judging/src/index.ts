export * from './aggregate.js';
export * from './probabilities.js';
export * from './simulated-judge.js';
export * from './llm-judge.js';
export * from './analytics.js';
