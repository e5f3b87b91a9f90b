/// The database engine holding the legacy tables: the original's PostgreSQL, or an SQLite file (the
/// embedded default, rehearsals, and tables restored there). Its raw value is what snapshots and
/// archives record (`source_engine`, `definition-postgresql.sql`).
public enum Engine: String, Sendable, CaseIterable {
    case postgresql
    case sqlite
}
