export * from './database.js';
export * from './embedded/data-dir-lock.js';
export * from './embedded/pglite-session.js';
export * from './errors.js';
export * from './entities/index.js';
export * from './migration-writer.js';
export * from './repositories/index.js';
export { Transaction, UnitOfWork, queryIn } from './unit-of-work.js';
