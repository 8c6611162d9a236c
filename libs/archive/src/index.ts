export * from './nyu.js';
