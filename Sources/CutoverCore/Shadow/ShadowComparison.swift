import CutoverSupport
import DocumentParity
import Firestore
import LegacySync

/// `cutover shadow compare`: over a window of the dual-run, coverage — each queue row matched to a
/// delivery for the same kennitala and action, and the reverse — and content parity between Path A's
/// shadow documents and Path B's, under the replay's rules. Changes inside the settling window (the
/// last `settle` seconds before `until`) are in flight, not differences.
public struct ShadowComparison {
    public struct Configuration: Sendable {
        public var since: Timestamp
        public var until: Timestamp
        /// Seconds before `until` whose changes are still settling.
        public var settleSeconds: Int64 = 60
        /// How long after its row a delivery may arrive (a delayed POST) and still match it. Django posts
        /// inside the save, once, with a 10 s timeout (LEGACY.md §5): a real delivery lands within about
        /// 10 s; 30 s leaves room for clock skew between database and receiver. A wider window lets a
        /// member's later saves answer for an earlier row.
        public var matchWindowSeconds: Int64 = 30
        public var rules: ParityRules = .shipped()
        public var table = QueueTableName.defaultName

        public init(since: Timestamp, until: Timestamp) {
            self.since = since
            self.until = until
        }
    }

    let configuration: Configuration
    let database: any LegacyDatabase
    let recording: DeliveryRecording
    let pathA: any DocumentStore
    let pathB: any DocumentStore

    public init(
        configuration: Configuration, database: any LegacyDatabase, recording: DeliveryRecording,
        pathA: any DocumentStore, pathB: any DocumentStore
    ) {
        self.configuration = configuration
        self.database = database
        self.recording = recording
        self.pathA = pathA
        self.pathB = pathB
    }

    /// The phases `run` names through `progress`: the window's rows, its deliveries, the matching (counted in
    /// rows), the documents compared (counted in members).
    public static let phaseCount = 4

    public func run(
        progress: (String) -> Void = { _ in }, counted: (ProgressCount) -> Void = { _ in }
    ) async throws -> ShadowReport {
        let window = configuration
        guard window.since < window.until else {
            // An inverted or empty window selects nothing: reading it would "pass" on no evidence.
            return ShadowReport(
                since: window.since, until: window.until, settleSeconds: window.settleSeconds,
                rulesOrigin: window.rules.origin, findings: [], comparisons: [], problems: [], unsettledMembers: 0,
                missing: [
                    "the window is inverted or empty: --since \(window.since.iso8601) is not before "
                        + "--until \(window.until.iso8601)"
                ])
        }
        let settling = Timestamp(microseconds: window.until.microseconds - window.settleSeconds * 1_000_000)
        let queue = try QueueTableWriter(database: database, table: window.table)
        var rows: [QueueRow] = []
        var problems: [RowProblem] = []
        progress("reading the queue rows created in the window")
        for decoded in try queue.rows(createdFrom: window.since, until: window.until) {
            switch decoded {
            case .success(let row): rows.append(row)
            case .failure(let problem): problems.append(problem)
            }
        }
        let late = Timestamp(microseconds: window.until.microseconds + window.matchWindowSeconds * 1_000_000)
        let early = Timestamp(microseconds: window.since.microseconds - 5_000_000)
        progress("reading the deliveries recorded in the window")
        let deliveries = try await recording.deliveries(from: early, until: late)
        var findings: [CoverageFinding] = []
        var matched: Set<Int64> = []
        // Per member and action, the deliveries that matched a row, with that row: a later twin is a duplicate.
        var matchedByKey: [String: [(delivery: DeliveryRecording.Delivery, row: QueueRow)]] = [:]

        let accepted = deliveries.filter { ![400, 401, 405].contains($0.status) }
        var byKey: [String: [DeliveryRecording.Delivery]] = [:]
        for delivery in accepted { byKey["\(delivery.kennitala)/\(delivery.action)", default: []].append(delivery) }

        progress("matching \(rows.count) rows to \(deliveries.count) deliveries")
        for (index, row) in rows.enumerated() {
            if index % 1_000 == 0 { counted(ProgressCount(index, of: rows.count, unit: "rows")) }
            // A row Path B never posts for (a 9999 member, a contact-info or address edit alone) takes no
            // delivery: matched, it would take the one a later member save sent, and report that save's
            // own row as a missing webhook.
            if Kennitala.isPlaceholder(row.normalisedSSN) {
                findings.append(
                    .init(
                        kind: .skippedPlaceholder, kennitala: row.normalisedSSN, action: row.action.rawValue,
                        rowID: row.id,
                        deliveryID: nil, detail: "9999 members are never sent"))
                continue
            }
            if row.action == .update, !row.fieldsChanged.isEmpty,
                Set(row.fieldsChanged.keys).isSubset(of: MemberReplay.contactAndAddressFields)
            {
                findings.append(
                    .init(
                        kind: .notSentByDesign, kennitala: row.normalisedSSN, action: row.action.rawValue,
                        rowID: row.id,
                        deliveryID: nil, detail: "a contact-info or address edit alone sends no webhook"))
                continue
            }
            let key = "\(row.normalisedSSN)/\(row.action.rawValue)"
            // The POST goes out at signal time, a moment before or after the row commits.
            let from = row.createdAt.microseconds - 5_000_000
            let to = row.createdAt.microseconds + window.matchWindowSeconds * 1_000_000
            // Of this member's deliveries for the action, the one nearest the row's time: with several
            // saves close together each takes its own POST, not the first one still free.
            let candidates =
                byKey[key]?.filter { !matched.contains($0.id) && (from...to).contains($0.receivedAt.microseconds) }
                ?? []
            if let delivery = candidates.min(by: {
                abs($0.receivedAt.microseconds - row.createdAt.microseconds)
                    < abs($1.receivedAt.microseconds - row.createdAt.microseconds)
            }) {
                matched.insert(delivery.id)
                matchedByKey[key, default: []].append((delivery, row))
                findings.append(
                    .init(
                        kind: .matched, kennitala: row.normalisedSSN, action: row.action.rawValue, rowID: row.id,
                        deliveryID: delivery.id,
                        detail: "delivered \(Self.delay(row.createdAt, delivery.receivedAt)) after the change"
                            + (delivery.status == 200 ? "" : "; answered \(delivery.status)")))
                continue
            }
            let kind: CoverageFinding.Kind
            let detail: String
            if row.createdAt > settling {
                (kind, detail) = (.inFlight, "created inside the settling window")
            } else {
                (kind, detail) = (.missingWebhook, "no delivery within \(window.matchWindowSeconds) s")
            }
            findings.append(
                .init(
                    kind: kind, kennitala: row.normalisedSSN, action: row.action.rawValue, rowID: row.id,
                    deliveryID: nil,
                    detail: detail))
        }
        for delivery in deliveries where !matched.contains(delivery.id) {
            guard delivery.receivedAt >= window.since && delivery.receivedAt <= late else { continue }
            if [400, 401, 405].contains(delivery.status) {
                findings.append(
                    .init(
                        kind: .rejected, kennitala: delivery.kennitala, action: delivery.action, rowID: nil,
                        deliveryID: delivery.id, detail: "\(delivery.status) \(delivery.reason)"))
                continue
            }
            guard delivery.receivedAt <= window.until else { continue }  // belongs to the next window
            let twin = matchedByKey["\(delivery.kennitala)/\(delivery.action)"]?.first { match in
                abs(delivery.receivedAt.microseconds - match.delivery.receivedAt.microseconds) <= window
                    .matchWindowSeconds * 1_000_000
            }
            let kind: CoverageFinding.Kind =
                twin != nil ? .duplicateDelivery : delivery.receivedAt > settling ? .inFlight : .webhookWithoutRow
            findings.append(
                .init(
                    kind: kind, kennitala: delivery.kennitala, action: delivery.action, rowID: twin?.row.id,
                    deliveryID: delivery.id,
                    detail: kind == .duplicateDelivery
                        ? "a second delivery for row \(twin!.row.id)"
                        : kind == .inFlight ? "received inside the settling window" : "no queue row for this change"))
        }

        // Content: the two sides' documents for every member the window touched and that has settled.
        let unsettled = Set(findings.filter { $0.kind == .inFlight }.map(\.kennitala))
        let touched = Set(rows.map(\.normalisedSSN) + accepted.map(\.kennitala)).subtracting(unsettled).filter {
            !$0.isEmpty
        }.sorted()
        let comparer = DocumentComparer(rules: window.rules)
        var comparisons: [MemberComparison] = []
        progress("comparing Path A's and Path B's documents of \(touched.count) members")
        for start in stride(from: 0, to: touched.count, by: 300) {
            counted(ProgressCount(start, of: touched.count, unit: "members"))
            let paths = touched[start..<min(start + 300, touched.count)].map { DocumentPath.member($0).description }
            let a = try await pathA.batchGet(paths)
            let b = try await pathB.batchGet(paths)
            for path in paths {
                let kennitala = DocumentPath.id(of: path)
                if let comparison = comparer.compare(kennitala: kennitala, a: a[path], b: b[path], events: []) {
                    comparisons.append(comparison)
                }
            }
        }
        return ShadowReport(
            since: window.since, until: window.until, settleSeconds: window.settleSeconds,
            rulesOrigin: window.rules.origin,
            findings: findings.sorted {
                ($0.kind, $0.rowID ?? 0, $0.deliveryID ?? 0) < ($1.kind, $1.rowID ?? 0, $1.deliveryID ?? 0)
            },
            comparisons: comparisons, problems: problems, unsettledMembers: unsettled.count,
            missing: deliveries.isEmpty
                ? [
                    "no webhook delivery was recorded in the window: is the receiver (`cutover shadow serve`) "
                        + "running and is --record its file?"
                ] : [])
    }

    static func delay(_ from: Timestamp, _ to: Timestamp) -> String {
        let milliseconds = (to.microseconds - from.microseconds) / 1_000
        return milliseconds < 1_000 ? "\(milliseconds) ms" : "\(milliseconds / 1_000) s"
    }
}
