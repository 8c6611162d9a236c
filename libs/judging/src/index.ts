export * from './aggregate.js';
export * from './agreement.js';
export * from './probabilities.js';
export * from './ratings.js';
export * from './simulated-judge.js';
export * from './skill.js';
export * from './llm-judge.js';
export * from './analytics.js';
