import CutoverSupport
import Firestore
import LegacySync

/// What the drain will do for one member: the rows it settles without writing (superseded, orphan,
/// dead), and the write that applies the rest. Pure: decided from the rows, the target document and
/// the register, so a dry run prints exactly what a real run does.
public struct MemberDrainPlan: Sendable {
    public var kennitala: String
    /// Outcomes decided without a write.
    public var settled: [DrainRowResult] = []
    /// Rows still to apply, oldest first.
    public var pending: [QueueRow] = []
    /// `--via webhook`: the one write that applies every pending row (the member's current state).
    public var write: FirestoreWrite?
    /// The document's update time the write expects to replace (nil: it must not exist).
    public var baseUpdateTime: Timestamp?
    /// `--via webhook`: what the pending rows come to when the write succeeds.
    public var onSuccess: [DrainRowResult] = []

    /// When a sync path last wrote the document, by the times both paths stamp into it (Path A's
    /// `metadata.last_sync`, Path B's `metadata.synced_at`); the update time only when neither is
    /// there. Content times survive a restore or copy of the collection; update times do not.
    static func lastSyncWrite(_ document: FirestoreDocument) -> Timestamp? {
        let stamped = ["last_sync", "synced_at"].compactMap { key -> Timestamp? in
            switch document.value(at: FieldPath(["metadata", key])) {
            case .timestamp(let time)?: time
            case .string(let text)?: Timestamp(parsing: text)
            default: nil
            }
        }
        return stamped.max() ?? document.updateTime
    }

    /// Classifies one member's rows.
    /// - Parameters:
    ///   - document: the target's `members/{kennitala}` now.
    ///   - pathB: the member's webhook `data` from the register, nil when the member is gone.
    public static func make(
        kennitala: String, rows: [QueueRow], document: FirestoreDocument?, pathB: JSONValue?,
        via: DrainVia, maxRetries: Int, now: Timestamp
    ) -> MemberDrainPlan {
        var plan = MemberDrainPlan(kennitala: kennitala, baseUpdateTime: document?.updateTime)
        func settle(_ row: QueueRow, _ outcome: DrainOutcome, _ detail: String) {
            plan.settled.append(
                DrainRowResult(
                    rowID: row.id, kennitala: kennitala, action: row.action, outcome: outcome, detail: detail))
        }
        for row in rows {
            if row.retryCount >= maxRetries {
                settle(row, .dead, "retries exhausted (\(row.retryCount)): \(Masker().freeText(row.errorMessage))")
            } else if let written = document.flatMap(Self.lastSyncWrite), written >= row.createdAt {
                settle(
                    row, .superseded,
                    "the document was written at \(written.iso8601), after the row (\(row.createdAt.iso8601))")
            } else {
                plan.pending.append(row)
            }
        }
        guard via == .webhook, let last = plan.pending.last else { return plan }
        if Kennitala.isPlaceholder(kennitala) {
            for row in plan.pending {
                settle(row, .orphan, "a 9999 placeholder (merged duplicate): the webhook path never syncs it")
            }
            plan.pending = []
            return plan
        }
        let path = DocumentPath.member(kennitala)
        let precondition: FirestoreWrite.Precondition = document?.updateTime.map { .updateTime($0) } ?? .exists(false)
        if last.action == .delete {
            for row in plan.pending.dropLast() {
                settle(row, .superseded, "a later delete (row \(last.id)) replaces it")
            }
            plan.pending = [last]
            guard document != nil else {
                settle(last, .orphan, "delete of a document that never existed")
                plan.pending = []
                return plan
            }
            var write = FirestoreWrite.update(
                path,
                [
                    FieldPath(["membership", "status"]): "inactive",
                    FieldPath(["metadata", "deleted_at"]): .timestamp(now),
                ],
                serverTime: [FieldPath(["metadata", "synced_at"])])
            write.precondition = precondition
            plan.write = write
        } else {
            guard let pathB else {
                for row in plan.pending { settle(row, .orphan, "the member is no longer in the register") }
                plan.pending = []
                return plan
            }
            let fields = PathBMemberDocument.fields(data: pathB, serverTime: now, functionClock: now)
            // A create replaces the document; updates merge (fields only Path A wrote survive).
            var write =
                plan.pending.contains { $0.action == .create }
                ? FirestoreWrite.set(path, fields, serverTime: [FieldPath(["metadata", "synced_at"])])
                : FirestoreWrite.merge(path, fields, serverTime: [FieldPath(["metadata", "synced_at"])])
            write.precondition = precondition
            plan.write = write
        }
        plan.onSuccess = plan.pending.map {
            DrainRowResult(
                rowID: $0.id, kennitala: kennitala, action: $0.action, outcome: .applied,
                detail: $0.action == .delete ? "marked inactive" : "the member's current state written")
        }
        return plan
    }
}
