import CutoverSupport
import Snapshots

/// The words of the rehearsal's summary lines and its check that a copy holds what the source's
/// snapshot captured.
extension Rehearsal {
    /// The status line: pending rows are split into stranded and fresh only against a known last run
    /// (`--last-run`, else the store's `sync_logs`), and named unsplit otherwise — never counted as none.
    static func statusSummary(_ status: QueueStatus) -> String {
        let failed = status.failedByRetryCount.values.reduce(0, +)
        let split =
            status.lastRun.map {
                "\(status.pendingStranded) stranded, \(status.pendingFresh) fresh; "
                    + "last run \($0.iso8601) from \(status.lastRunOrigin)"
            } ?? "not split into stranded and fresh: no successful run in sync_logs; give --last-run TIME"
        return "\(status.totalRows) rows: \(status.pendingTotal) pending (\(split)), \(failed) failed, "
            + "\(status.orphanDeletes.count) orphan deletes"
    }

    /// The copy's snapshot against the source's: the same queue rows and the same register, as both
    /// paths serialise it, or the rehearsal would prove something about other data.
    static func requireSameContent(copy: SnapshotManifest, source: SnapshotManifest) throws {
        let differing = ["queue_rows", "register_members"].compactMap { name -> String? in
            let (original, copied) = (source.table(name), copy.table(name))
            guard original != copied else { return nil }
            return
                "\(name): the source's snapshot holds \(original?.rowCount ?? 0) rows sha256 "
                + "\(original?.sha256 ?? "none"), "
                + "the copy \(copied?.rowCount ?? 0) rows sha256 \(copied?.sha256 ?? "none")"
        }
        guard differing.isEmpty else {
            throw CutoverError(
                .invalidData,
                "the rehearsal copy does not match the source's snapshot: " + differing.joined(separator: "; "),
                nextStep: "a value did not survive the move into SQLite; "
                    + "rehearse step by step on the source instead")
        }
    }
}
