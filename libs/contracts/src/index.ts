export * from './domain.js';
export * from './protocol.js';
export * from './validation.js';
export * from './jobs.js';
export * from './views.js';
export * from './events.js';
export * from './webhooks.js';
export * from './experiments.js';
