import type { DataSource } from 'typeorm';

/** An entity from a row of its table as JSON (`row_to_json`), through the entity's column mapping and the driver's conversions. */
export function hydrate<T>(dataSource: DataSource, entity: new () => T, row: Record<string, unknown>): T {
  const metadata = dataSource.getMetadata(entity);
  const hydrated = metadata.create() as T;
  for (const column of metadata.columns) {
    if (column.databaseName in row) {
      column.setEntityValue(hydrated as object, dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
  }
  return hydrated;
}
