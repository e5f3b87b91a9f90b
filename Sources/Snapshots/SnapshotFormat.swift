import Firestore
import LegacySync

/// The snapshot file format: an SQLite database, readable with `sqlite3` alone.
/// Documented in Snapshots/FORMAT.md; bump `version` on any change to these tables.
public enum SnapshotFormat {
    public static let name = "cutover-snapshot"
    public static let version = 2

    /// Tables that do not depend on the source. `queue_rows` is created with the source's columns.
    package static let fixedSchema = """
        CREATE TABLE snapshot_manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE snapshot_tables (
            name TEXT PRIMARY KEY, row_count INTEGER NOT NULL, sha256 TEXT NOT NULL, encoding TEXT NOT NULL,
            description TEXT NOT NULL);
        CREATE TABLE queue_columns (
            ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, nullable INTEGER NOT NULL,
            default_expression TEXT, identity TEXT);
        CREATE TABLE queue_constraints (name TEXT PRIMARY KEY, kind TEXT NOT NULL, definition TEXT NOT NULL);
        CREATE TABLE queue_indexes (name TEXT PRIMARY KEY, definition TEXT NOT NULL);
        CREATE TABLE queue_sequence (name TEXT NOT NULL, kind TEXT NOT NULL, last_value INTEGER NOT NULL,
            is_called INTEGER NOT NULL);
        CREATE TABLE register_members (
            member_id INTEGER PRIMARY KEY, ssn TEXT NOT NULL, path_a TEXT NOT NULL, path_b TEXT NOT NULL);
        CREATE TABLE snapshot_problems (row_id INTEGER, column_name TEXT NOT NULL, problem TEXT NOT NULL);
        CREATE TABLE firestore_documents (
            collection TEXT NOT NULL, id TEXT NOT NULL, fields TEXT NOT NULL, create_time TEXT, update_time TEXT,
            PRIMARY KEY (collection, id)) WITHOUT ROWID;
        """

    /// The Firestore collections a snapshot captures (each hashed as `firestore/<name>`).
    public static let firestoreCollections = [CollectionName.members, .syncLogs, .syncQueue].map(\.rawValue)

    /// The content tables whose row count and hash the manifest records, with their key order.
    package static let hashedTables: [(name: String, order: String, description: String)] = [
        ("queue_rows", "rowid", "the queue table verbatim, every column as text, in id order"),
        (
            "register_members", "member_id",
            "each member as Path A's member endpoint and Path B's webhook data serialise it"
        ),
    ]
}
