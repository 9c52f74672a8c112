import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';

/**
 * What a migration may know about its database. Migrations stay frozen in time, so they
 * take this instead of importing application code.
 */
export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

/** Adds an auto-generated integer primary key `id`, the one column type the dialects spell differently. */
export function withId<T extends string>(
  table: CreateTableBuilder<T, never>,
  ctx: MigrationContext,
): CreateTableBuilder<T, 'id'> {
  return ctx.dialect === 'postgres'
    ? table.addColumn('id', 'bigserial', (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
