/** A DATABASE_URL naming a PostgreSQL server; anything else must be `sqlite:`. */
export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}
