export * from './files.js';
export * from './json.js';
export * from './nyu.js';
export * from './record.js';
