import CutoverSupport
import Firestore

/// One run of Path A's scheduled `bidirectional_sync` (LEGACY.md §4) as an executable model, defects
/// included: the `since` rule (stranded rows are never fetched), the 100-document limit of the
/// reverse queue, dropped update fields, orphan deletes counted as success, enum bounds, creates
/// that fail on a 404 left pending.
public struct PathANightlyRun: Sendable {
    /// What happened to each queue row the run fetched.
    public typealias RowOutcome = PathAPull.Outcome

    public struct Report: Sendable, Equatable {
        public var since: Timestamp
        public var startedAt: Timestamp
        public var rowOutcomes: [Int64: RowOutcome] = [:]
        /// Queue rows Django flipped to synced.
        public var markedSynced = 0
        /// sync_queue documents applied, failed, and the paths Django ignored while counting success.
        public var reverseApplied = 0
        public var reverseFailed = 0
        public var ignoredReversePaths: [String] = []

        public var djangoToFirestoreSuccess: Int { rowOutcomes.values.filter { !$0.isFailure }.count }
        public var djangoToFirestoreFailed: Int { rowOutcomes.count - djangoToFirestoreSuccess }
    }

    /// The reverse queue is read in pages of this size, once per run.
    public static let reverseLimit = 100

    let store: any DocumentStore
    let django: any PathADjango
    /// The run's clock (now − 24 h when no run succeeded before); document times are the store's server time.
    let clock: @Sendable () -> Timestamp

    public init(
        store: any DocumentStore, django: any PathADjango,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }
    ) {
        self.store = store
        self.django = django
        self.clock = clock
    }

    /// The phases `run` names through `progress`: the portal's edits, the queue's rows (counted), the run record.
    public static let phaseCount = 3

    public func run(
        progress: (String) -> Void = { _ in }, counted: (ProgressCount) -> Void = { _ in }
    ) async throws -> Report {
        let started = clock()
        // 1. `since`: the newest successful run's completed_at, else the last 24 hours.
        let since = try await LastSuccessfulRun.find(in: store) ?? started.adding(seconds: -86_400)
        var report = Report(since: since, startedAt: started)
        progress("applying the portal's edits from sync_queue to Django")
        try await applyPortalEdits(&report)
        try await pullDjangoChanges(&report, progress: progress, counted: counted)
        progress("recording the run in sync_logs")
        // 4. The run record that drives the next run's `since`, with every stats field §4 lists.
        // `completed_at` is the commit's server time; the duration is the run's own clock, as the
        // function measured it before writing the record.
        let finished = clock()
        let duration = Double(finished.microseconds - started.microseconds) / 1_000_000
        let stats: FirestoreValue = [
            "started_at": .timestamp(started), "last_sync": .timestamp(since), "duration_seconds": .double(duration),
            "django_to_firestore": [
                "success": .integer(Int64(report.djangoToFirestoreSuccess)),
                "failed": .integer(Int64(report.djangoToFirestoreFailed)),
            ],
            "firestore_to_django": [
                "success": .integer(Int64(report.reverseApplied)), "failed": .integer(Int64(report.reverseFailed)),
            ],
            "error": .null,
        ]
        let logID = "run-\(started.microseconds)"
        _ = try await store.commit([
            .set(
                CollectionName.syncLogs.document(logID),
                ["type": "bidirectional_sync", "status": "success", "stats": stats],
                serverTime: [
                    FieldPath(["created_at"]), FieldPath(["completed_at"]), FieldPath(["stats", "completed_at"]),
                ])
        ])
        return report
    }

    /// 2. Firestore → Django: up to 100 pending portal edits, oldest first, grouped per kennitala.
    /// The deployed code queried the snake_case fields, so camelCase documents are never picked up.
    private func applyPortalEdits(_ report: inout Report) async throws {
        let query = StructuredQuery(
            collectionID: CollectionName.syncQueue.rawValue,
            filter: .and([
                .field(FieldPath(["source"]), .equal, "firestore"), .field(FieldPath(["target"]), .equal, "django"),
                .field(FieldPath(["sync_status"]), .equal, "pending"),
            ]),
            orderBy: [.init(FieldPath(["created_at"]))], limit: Self.reverseLimit)
        let documents = try await store.runQuery(query, parent: "")
        var groups: [(kennitala: String, documents: [FirestoreDocument], changes: [String: JSONValue])] = []
        for document in documents {
            let kennitala = Kennitala.normalised(document.fields["kennitala"]?.stringValue ?? "")
            let changes = (document.fields["changes"]?.mapValue ?? [:]).mapValues(\.json)
            if let index = groups.firstIndex(where: { $0.kennitala == kennitala }) {
                groups[index].documents.append(document)
                groups[index].changes.merge(changes) { _, later in later }
            } else {
                groups.append((kennitala, [document], changes))
            }
        }
        for group in groups {
            let result = try await django.apply(kennitala: group.kennitala, changes: group.changes)
            report.ignoredReversePaths += result.ignoredPaths
            let writes: [FirestoreWrite] = group.documents.map { document in
                if let error = result.error {
                    return .update(
                        document.path,
                        [FieldPath(["sync_status"]): "failed", FieldPath(["error_message"]): .string(error)])
                }
                return .update(
                    document.path, [FieldPath(["sync_status"]): "synced"], serverTime: [FieldPath(["synced_at"])])
            }
            _ = try await store.commit(writes)
            if result.error == nil {
                report.reverseApplied += group.documents.count
            } else {
                report.reverseFailed += group.documents.count
            }
        }
    }

    /// 3. Django → Firestore: pending rows created after `since`, oldest first.
    private func pullDjangoChanges(
        _ report: inout Report, progress: (String) -> Void, counted: (ProgressCount) -> Void
    ) async throws {
        var succeeded: [Int64] = []
        let django = django
        let pull = PathAPull(store: store, clock: clock) { try await django.member(ssn: $0) }
        let rows = try await django.pendingChanges(since: report.since)
        progress("pulling \(rows.count) pending queue rows into Firestore")
        for (index, row) in rows.enumerated() {
            if index % 100 == 0 { counted(ProgressCount(index, of: rows.count, unit: "rows")) }
            let outcome = await pull.apply(row)
            report.rowOutcomes[row.id] = outcome
            if case .failed = outcome { continue }
            succeeded.append(row.id)
        }
        counted(ProgressCount(rows.count, of: rows.count, unit: "rows"))
        report.markedSynced = try await django.markSynced(succeeded, at: clock())
    }
}

extension FirestoreValue {
    /// The value as JSON, the way a Python client hands it to `requests`: timestamps as ISO strings.
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .boolean(let flag): .bool(flag)
        case .integer(let number): .integer(number)
        case .double(let number): .double(number)
        case .timestamp(let time): .string(time.iso8601)
        case .string(let text): .string(text)
        case .bytes(let bytes): .string(bytes.map { String($0) }.joined(separator: ","))
        case .reference(let name): .string(name)
        case .geoPoint(let latitude, let longitude): ["latitude": .double(latitude), "longitude": .double(longitude)]
        case .array(let values): .array(values.map(\.json))
        case .map(let fields): .object(fields.mapValues(\.json))
        }
    }
}
