import CutoverSupport
import LegacySync

/// Recomputes a snapshot's content hashes — the queue rows, the member register and every captured
/// Firestore collection — and holds them to the manifest, so that no command acts on a file changed
/// after it was written. `parity replay`, `status` (of a snapshot) and `restore` run it before they
/// read; `archive create` and the archive's rebuilt snapshot use its list of mismatches.
///
/// A content table the manifest does not list must be empty: a snapshot taken with `--no-register` or
/// without `--firestore` has none of those rows, so rows there were put in afterwards (or the manifest's
/// entry was deleted to hide them).
public struct SnapshotContentCheck {
    public let snapshot: SnapshotFile

    public init(_ snapshot: SnapshotFile) { self.snapshot = snapshot }

    /// One line per table whose rows do not match the manifest, naming the table; empty when all match.
    /// `skipping` leaves tables out that the caller checks as it reads them (restore's queue rows).
    public func mismatches(skipping: Set<String> = []) throws -> [String] {
        var found: [String] = []
        var known: Set<String> = []
        for table in try Self.sources(in: snapshot) {
            known.insert(table.name)
            guard !skipping.contains(table.name) else { continue }
            guard let expected = snapshot.manifest.table(table.name) else {
                let rows = try digest(table.query).rowCount
                if rows > 0 {
                    found.append("\(table.name): \(rows) rows the manifest does not list")
                } else if table.name == "queue_rows" {
                    found.append("queue_rows: not in the manifest")
                }
                continue
            }
            let actual = try digest(table.query)
            if actual.rowCount != expected.rowCount || actual.sha256 != expected.sha256 {
                found.append(
                    "\(table.name): expected \(expected.rowCount) rows sha256 \(expected.sha256), "
                        + "found \(actual.rowCount) rows sha256 \(actual.sha256)")
            }
        }
        for listed in snapshot.manifest.tables where !known.contains(listed.name) && !skipping.contains(listed.name) {
            found.append("\(listed.name): listed in the manifest, but this snapshot holds no such table")
        }
        return found
    }

    /// Throws unless every table (but `skipping`) matches the manifest: one line naming the file and the
    /// tables, with the advice to take a new snapshot.
    public func require(skipping: Set<String> = []) throws {
        let found = try mismatches(skipping: skipping)
        guard !found.isEmpty else { return }
        throw CutoverError(
            .input,
            "snapshot \(snapshot.path) does not match its own manifest (changed after it was written); nothing was "
                + "done with it: " + found.joined(separator: "; "),
            nextStep: Self.nextStep)
    }

    /// What to do about a snapshot that fails the check (restore says it too, for its queue rows).
    public static let nextStep =
        "take a new snapshot (`cutover snapshot --source …`) and use that; keep this file aside to find out what "
        + "changed it"

    /// Each content table with the query that reads it in the order its hash was computed in.
    static func sources(in snapshot: SnapshotFile) throws -> [(name: String, query: String)] {
        var sources = SnapshotFormat.hashedTables.map {
            (name: $0.name, query: "SELECT * FROM \($0.name) ORDER BY \($0.order)")
        }
        // Every collection present in the file, not only the ones the format names: rows of another were added later.
        var collections = SnapshotFormat.firestoreCollections
        try snapshot.forEachRow("SELECT DISTINCT collection FROM firestore_documents ORDER BY collection") { row in
            if let name = row[0], !collections.contains(name) { collections.append(name) }
        }
        for collection in collections {
            sources.append(
                (
                    name: "firestore/\(collection)",
                    query: "SELECT id, fields, create_time, update_time FROM firestore_documents WHERE collection = "
                        + "\(QueueTableName.literal(collection)) ORDER BY id"
                ))
        }
        return sources
    }

    private func digest(_ query: String) throws -> SnapshotManifest.TableDigest {
        let hasher = RowHasher()
        try snapshot.forEachRawRow(query) { row in
            for field in 0..<row.fieldCount { row.withBytes(field) { hasher.addField($0) } }
            hasher.endRow()
        }
        return .init(name: "", rowCount: hasher.rowCount, sha256: hasher.finalize())
    }
}
