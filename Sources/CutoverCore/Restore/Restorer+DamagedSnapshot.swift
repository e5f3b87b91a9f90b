import CutoverSupport
import Snapshots

extension Restorer {
    /// The snapshot's queue rows in the order their manifest hash was computed in (the order they load in).
    static let snapshotRowsQuery = "SELECT * FROM queue_rows ORDER BY rowid"

    /// Hashes the snapshot's queue rows and returns the "does not match its own manifest" error when they
    /// differ from it; nil when they match.
    ///
    /// Called only when a restore has already failed (the rows did not load, or the table read back different
    /// from the manifest), to tell a damaged file from a database that does not keep what it was given. The
    /// successful path needs no such pass: a table that reads back equal to the manifest holds exactly the rows
    /// the manifest describes, whatever the file held. (A change the database undoes on input, such as `007`
    /// for `7` in an integer column, therefore restores the right table without a word.) Hashing while loading
    /// cost the client 0.6 s of CPU per million rows on every restore (2.03 against 1.44 s, medians of nine
    /// runs, Benchmarks/results/issue21-restore-statement-log.md).
    func snapshotRowsDamage(
        _ snapshot: SnapshotFile, _ expected: SnapshotManifest.TableDigest
    ) throws -> CutoverError? {
        let hasher = RowHasher()
        try snapshot.forEachRawRow(Self.snapshotRowsQuery) { row in
            for field in 0..<row.fieldCount { row.withBytes(field) { hasher.addField($0) } }
            hasher.endRow()
        }
        let found = SnapshotManifest.TableDigest(
            name: "queue_rows", rowCount: hasher.rowCount, sha256: hasher.finalize())
        guard found != expected else { return nil }
        return CutoverError(
            .input,
            "snapshot \(options.snapshotPath) does not match its own manifest; nothing was restored: "
                + "queue_rows: expected \(expected.rowCount) rows sha256 \(expected.sha256), "
                + "found \(found.rowCount) rows sha256 \(found.sha256)",
            nextStep: SnapshotContentCheck.nextStep)
    }
}
