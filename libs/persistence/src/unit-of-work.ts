import type { DataSource, EntityManager } from 'typeorm';

const managers = new WeakMap<Transaction, EntityManager>();

/**
 * An open transaction, as a service holds it: an opaque handle passed to the repositories and the job
 * queue a unit of work writes through, so that its rows and its follow-up jobs commit, or roll back,
 * together. Only the persistence library reaches the connection behind it.
 */
export class Transaction {
  private constructor() {}

  /** @internal */
  static of(manager: EntityManager): Transaction {
    const tx = new Transaction();
    managers.set(tx, manager);
    return tx;
  }
}

/** @internal The connection a transaction runs on: for repositories. */
export function managerOf(tx: Transaction): EntityManager {
  const manager = managers.get(tx);
  if (!manager) throw new Error('not an open transaction');
  return manager;
}

/**
 * Runs SQL inside a transaction: for adapters that write through one without being repositories (the
 * job queue queues its jobs so). Rows are answered as the driver gives them.
 */
export function queryIn(tx: Transaction, text: string, values?: unknown[]): Promise<unknown[]> {
  return managerOf(tx).query(text, values);
}

/**
 * Opens transactions for services: `run` commits what `work` wrote through the handle when it
 * returns, and rolls all of it back when it throws. Inside, read through the handle too: on the
 * embedded database (one connection) a query outside the transaction would wait for it forever.
 */
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(Transaction.of(manager)));
  }
}
