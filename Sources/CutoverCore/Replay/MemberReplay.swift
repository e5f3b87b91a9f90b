import CutoverSupport
import DocumentParity
import Firestore
import LegacySync

/// Runs both paths' models over one member's changes, each on its own copy of the baseline
/// document: Path A as its next nightly run would (LEGACY.md §4), Path B as the webhook calls
/// Django made at each change (LEGACY.md §5).
public struct MemberReplay: Sendable {
    public struct Result: Sendable {
        public var pathA: FirestoreDocument?
        public var pathB: FirestoreDocument?
        public var pathAEvents: [ReplayEvent]
        public var pathBEvents: [ReplayEvent]
        /// Leaf field → value kind, for every field each path wrote.
        public var pathAWrote: [String: String]
        public var pathBWrote: [String: String]
    }

    /// One path's run over one member.
    public struct PathRun: Sendable {
        public var document: FirestoreDocument?
        public var events: [ReplayEvent]
        public var wrote: [String: String]
    }

    /// Path A's run: `since` (the last successful run's completion) and the run's clock.
    public let since: Timestamp
    public let runAt: Timestamp
    /// How long after Django's POST the webhook's commit lands (server time).
    static let webhookLatencyMicroseconds: Int64 = 180_000

    /// Fields saved by the contact-info and address models: saving one of them alone sends no webhook.
    static let contactAndAddressFields: Set<String> = [
        "email", "phone", "foreign_phone", "facebook", "street_address", "postal_code", "city", "country",
    ]

    public init(since: Timestamp, runAt: Timestamp) {
        self.since = since
        self.runAt = runAt
    }

    public func run(_ member: MemberChanges) async -> Result {
        let pathA = await runPathA(member)
        let pathB = await runPathB(member)
        return Result(
            pathA: pathA.document, pathB: pathB.document, pathAEvents: pathA.events, pathBEvents: pathB.events,
            pathAWrote: pathA.wrote, pathBWrote: pathB.wrote)
    }

    /// Path A alone (the A/A noise run calls it with another clock).
    public func runPathA(_ member: MemberChanges) async -> PathRun {
        let store = ScratchDocumentStore(documents: member.baseline.map { [$0] } ?? [], serverTime: runAt)
        let runAt = runAt
        let memberJSON = member.pathA
        let pull = PathAPull(store: store, clock: { runAt }) { _ in memberJSON }
        var events: [ReplayEvent] = []
        for row in member.rows {
            guard row.status == .pending else {
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .skipped,
                        detail: "status \(row.status.rawValue): the run fetches pending rows only",
                        cause: .pathAFailedRow, scope: Self.scope(of: row)))
                continue
            }
            guard row.createdAt > since else {
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .skipped,
                        detail: "stranded: created before the last successful run",
                        cause: .pathAStranded, scope: Self.scope(of: row)))
                continue
            }
            let dropped = row.action == .update ? PathAUpdateMapping.droppedKeys(row.fieldsChanged) : []
            let droppedScope = dropped.compactMap { MemberDocumentShapes.pathAPathForDjangoField[$0] }
            switch await pull.apply(row) {
            case .written:
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .written,
                        detail: dropped.isEmpty ? "written" : "written; dropped \(dropped.joined(separator: ", "))",
                        cause: dropped.isEmpty ? nil : .pathADroppedField, scope: dropped.isEmpty ? nil : droppedScope))
            case .successWithoutWrite(let why):
                let isDrop = row.action == .update
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .noWrite,
                        detail: isDrop ? "\(why): \(dropped.joined(separator: ", "))" : why,
                        cause: isDrop ? .pathADroppedField : nil, scope: isDrop ? droppedScope : nil))
            case .failed(let why):
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .failed,
                        detail: Masker().freeText(why), cause: .pathAFailed, scope: Self.scope(of: row)))
            }
        }
        return PathRun(
            document: try? await store.getDocument(.member(member.kennitala)), events: events,
            wrote: await store.writtenFields)
    }

    func runPathB(_ member: MemberChanges) async -> PathRun {
        let store = ScratchDocumentStore(documents: member.baseline.map { [$0] } ?? [], serverTime: runAt)
        var events: [ReplayEvent] = []
        for row in member.rows {
            if member.isPlaceholder {
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .skipped,
                        detail: "9999 placeholder: Django does not send it", cause: .pathBSkippedPlaceholder))
                continue
            }
            let keys = Set(row.fieldsChanged.keys)
            if row.action == .update, !keys.isEmpty, keys.isSubset(of: Self.contactAndAddressFields) {
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .skipped,
                        detail: "contact-info or address edit alone: no webhook",
                        cause: .pathBNotSent, scope: Self.scope(of: row)))
                continue
            }
            let data: JSONValue
            if let current = member.pathB {
                data = current
            } else if row.action == .delete {
                data = ["ssn": .string(member.kennitala)]
            } else {
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .skipped,
                        detail: "member no longer in the register: payload unknown", cause: .pathBNotReplayable))
                continue
            }
            let sentAt = row.createdAt
            await store.setServerTime(Timestamp(microseconds: sentAt.microseconds + Self.webhookLatencyMicroseconds))
            let webhook = PathBWebhook(store: store, clock: { sentAt })
            let answer = await webhook.deliver(
                kennitala: member.kennitala, action: PathBWebhook.Action(rawValue: row.action.rawValue)!,
                data: data)
            if answer.status == 200 {
                events.append(ReplayEvent(rowID: row.id, action: row.action, outcome: .written, detail: "HTTP 200"))
            } else {
                let reason =
                    row.action == .delete
                    ? "HTTP \(answer.status): delete of a missing document" : "HTTP \(answer.status)"
                events.append(
                    ReplayEvent(
                        rowID: row.id, action: row.action, outcome: .failed, detail: reason, cause: .pathBFailed))
            }
        }
        return PathRun(
            document: try? await store.getDocument(.member(member.kennitala)), events: events,
            wrote: await store.writtenFields)
    }

    /// What a row can explain: an update its fields' paths; a create or delete the whole document.
    static func scope(of row: QueueRow) -> [String]? {
        guard row.action == .update else { return nil }
        return row.fieldsChanged.keys.sorted().compactMap { MemberDocumentShapes.pathAPathForDjangoField[$0] }
    }
}
