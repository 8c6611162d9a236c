export * from './onnx/graph.js';
export * from './network.js';
export * from './graphs.js';
export * from './runtime.js';
export * from './features.js';
export * from './training.js';
export * from './run.js';
export * from './scoring.js';
