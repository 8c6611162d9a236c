export * from './dataset.repository.js';
export * from './debate.repository.js';
export * from './identity.repository.js';
export * from './label.repository.js';
export * from './campaign.repository.js';
export * from './webhook.repository.js';
export * from './archive.repository.js';
export * from './model.repository.js';
