import CutoverSupport
import Postgres

/// The run lock on PostgreSQL: a session-level advisory lock on this connection, the holder in its
/// `application_name` (visible to every role in `pg_stat_activity`, unlike the query text).
extension PostgresLegacyDatabase {
    /// PostgreSQL keeps the first NAMEDATALEN − 1 bytes of `application_name`.
    static let applicationNameLimit = 63

    public func acquireRunLock(for table: QueueTableName, holder: QueueRunHolder) throws -> QueueRunLock {
        let key = QueueRunLock.key(for: table)
        return try mapped {
            let previous = try connection.query("SELECT current_setting('application_name')").value(0, 0) ?? ""
            guard try connection.query("SELECT pg_try_advisory_lock($1::bigint)", [String(key)]).value(0, 0) == "t"
            else {
                throw QueueRunLock.busy("\(table) in \(redactedTarget)", heldBy: try lockHolder(key))
            }
            _ = try connection.query(
                "SELECT set_config('application_name', $1, false)",
                [holder.line(limit: Self.applicationNameLimit)])
            return QueueRunLock(holder: holder) { [connection] in
                // A connection already closed has let go with it.
                _ = try? connection.query("SELECT pg_advisory_unlock($1::bigint)", [String(key)])
                _ = try? connection.query("SELECT set_config('application_name', $1, false)", [previous])
            }
        }
    }

    /// Who holds the advisory lock `key` in this database: pg_locks splits a bigint key into classid (high
    /// 32 bits) and objid (low 32 bits), with objsubid 1.
    private func lockHolder(_ key: Int64) throws -> String {
        let bits = UInt64(bitPattern: key)
        let found = try connection.query(
            """
            SELECT l.pid::text, coalesce(a.application_name, '') FROM pg_locks l
            LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = $1::oid AND l.objid = $2::oid
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            LIMIT 1
            """, [String(bits >> 32), String(bits & 0xffff_ffff)])
        guard let backend = found.value(0, 0) else { return "another session (which has just let go: try again)" }
        let name = found.value(0, 1) ?? ""
        if let holder = QueueRunHolder(line: name) { return "\(holder) through PostgreSQL backend \(backend)" }
        return "PostgreSQL backend \(backend) (application_name '\(name.prefix(63))')"
    }
}
