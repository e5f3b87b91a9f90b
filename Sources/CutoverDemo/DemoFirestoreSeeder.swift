import CutoverSupport
import Firestore
import LegacySync

/// Fills a document store as the legacy system left it (LEGACY.md §4–§7), consistent with the
/// seeded queue: `members` documents as Path A wrote them — and, for members changed after the last
/// successful run, as Path B's webhook wrote them (replaced on create, merged on update) — deleted
/// members marked inactive, `sync_logs` for every nightly run (failed ones and the older
/// `member_sync` type included), and portal edits in `sync_queue` in both naming styles.
public struct DemoFirestoreSeeder {
    public static let collections = [CollectionName.members, .syncLogs, .syncQueue].map(\.rawValue)
    /// Page cache for seeding an embedded store: a million members make a 1.4 GB file.
    static let bulkLoadCacheMiB = 512

    /// Where the demo's documents go by default: an embedded store beside an SQLite legacy database
    /// (`legacy.sqlite` → `legacy-firestore.sqlite`), or in the current directory for PostgreSQL.
    public static func defaultStore(forLegacy into: String) -> String {
        guard into.hasPrefix("sqlite:") else { return "embedded:demo-firestore.sqlite" }
        var path = String(into.dropFirst("sqlite:".count))
        if path.hasSuffix(".sqlite") { path = String(path.dropLast(".sqlite".count)) }
        return "embedded:\(path)-firestore.sqlite"
    }

    public struct Summary: Sendable, Equatable {
        public var pathAMembers = 0
        public var pathBMembers = 0
        /// Path A documents a Path B update merged into.
        public var mergedMembers = 0
        public var deletedMembers = 0
        /// Members whose create failed in the legacy run (gender out of range): no document.
        public var failedCreates = 0
        public var syncLogs = 0
        public var failedRuns = 0
        /// status → sync_queue documents.
        public var syncQueue: [String: Int] = [:]
        public var camelCaseQueueDocuments = 0
        public var lastSuccessfulRun = DemoTimeline.lastSuccessfulRunCompleted
    }

    let factory: DemoMemberFactory
    let generator: DemoQueueGenerator
    let replace: Bool

    public init(plan: DemoSeeder.Plan) {
        factory = DemoMemberFactory(
            seed: plan.seed, memberCount: plan.members,
            deletedMemberCapacity: DemoQueueGenerator.deletedMemberCapacity(rowCount: plan.queueRows))
        generator = DemoQueueGenerator(
            members: factory, rowCount: plan.queueRows, hyphenateSome: plan.flavour == .handwritten)
        replace = plan.replace
    }

    /// What the queue history says about each member, read by replaying the (deterministic) generator.
    private struct QueueFacts {
        var freshActions: [Int: QueueRow.Action] = [:]
        var syncedDeletes: [(ssn: String, at: Timestamp)] = []
        var syncedPerRun: [Timestamp: Int] = [:]
        var failedPerRun: [Timestamp: Int] = [:]
    }

    private func queueFacts() -> QueueFacts {
        var facts = QueueFacts()
        _ = generator.generate { row in
            if row.createdAt > DemoTimeline.lastSuccessfulRunCompleted, let member = row.memberID {
                // A create in the window replaces; otherwise the webhook merged updates.
                if facts.freshActions[member] != .create { facts.freshActions[member] = row.action }
            }
            if row.status == .synced, let synced = row.syncedAt {
                facts.syncedPerRun[DemoTimeline.nightlyRun(after: row.createdAt), default: 0] += 1
                if row.action == .delete { facts.syncedDeletes.append((Kennitala.normalised(row.ssn), synced)) }
            }
            if row.status == .failed {
                facts.failedPerRun[DemoTimeline.nightlyRun(after: row.createdAt), default: 0] += 1
            }
        }
        return facts
    }

    public func run(into store: any DocumentStore, progress: (String) -> Void = { _ in }) async throws -> Summary {
        try await prepare(store)
        if let embedded = store as? EmbeddedDocumentStore {
            try await embedded.reservePageCache(mebibytes: Self.bulkLoadCacheMiB)
        }
        let facts = queueFacts()
        var summary = Summary()
        var batch: [FirestoreWrite] = []
        // Commits of 400 writes, handed to the store 25 at a time (one SQLite transaction when embedded).
        var commits: [[FirestoreWrite]] = []
        func flush(force: Bool = false) async throws {
            if batch.count >= 400 || (force && !batch.isEmpty) {
                commits.append(batch)
                batch.removeAll(keepingCapacity: true)
            }
            if commits.count >= 25 || (force && !commits.isEmpty) {
                _ = try await store.commitEach(commits)
                commits.removeAll(keepingCapacity: true)
            }
        }

        progress("firestore: \(factory.memberCount) members")
        // In document-name order: a million inserts in random key order spend their time moving pages.
        let inNameOrder = (1...factory.memberCount).map { (factory.ssn(memberID: $0), $0) }.sorted { $0.0 < $1.0 }.map(
            \.1)
        for id in inNameOrder {
            let member = factory.member(id).registerMember
            let path = DocumentPath.member(member.ssn)
            let synced = DemoTimeline.nightlyRun(after: member.dateJoined ?? DemoTimeline.historyStart)
            let pathATime = min(synced, DemoTimeline.lastSuccessfulRunStarted).adding(seconds: 2)
            let webhookTime = DemoTimeline.lastSuccessfulRunCompleted.adding(seconds: Int64(60 + id % 80_000))
            let pathB = PathBMemberDocument.fields(
                data: member.pathBDataJSON, serverTime: webhookTime, functionClock: webhookTime)
            let action = member.ssn.hasPrefix("9999") ? nil : facts.freshActions[id]  // the webhook skips 9999
            if action == .create {
                batch.append(.set(path, pathB))
                summary.pathBMembers += 1
            } else if let fields = try? PathACreateDocument.fields(
                memberJSON: member.pathAMemberJSON, serverTime: pathATime)
            {
                batch.append(.set(path, fields))
                summary.pathAMembers += 1
                if action == .update {
                    batch.append(.merge(path, pathB))
                    summary.mergedMembers += 1
                }
            } else {
                summary.failedCreates += 1
            }
            try await flush()
        }

        for (index, delete) in facts.syncedDeletes.enumerated() {
            let ghost = factory.member(factory.memberCount + index + 1)
            batch.append(
                .set(
                    .member(delete.ssn),
                    [
                        "kennitala": .string(delete.ssn),
                        "profile": ["name": .string(ghost.name)],
                        "membership": ["status": "inactive", "joined": .null],
                        "metadata": [
                            "source": "django", "deleted_at": .timestamp(delete.at), "last_sync": .timestamp(delete.at),
                        ],
                    ]))
            summary.deletedMembers += 1
            try await flush()
        }

        progress("firestore: sync_logs and sync_queue")
        var random = DemoRandom(seed: factory.seed, stream: 3)
        try await writeSyncLogs(facts, &batch, &summary, &random)
        try await flush(force: true)
        writeSyncQueue(&batch, &summary, &random)
        try await flush(force: true)
        return summary
    }

    /// Refuses to mix with existing documents unless replacing; then deletes the demo collections.
    private func prepare(_ store: any DocumentStore) async throws {
        for collection in Self.collections {
            let first = try await store.listDocuments(collection: collection, pageSize: 1, pageToken: nil)
            guard !first.documents.isEmpty else { continue }
            guard replace else {
                throw CutoverError(
                    .output, "\(store.label) already holds documents in \(collection)",
                    nextStep: "seed into an empty store, or add --replace to delete and rewrite the demo collections")
            }
            try await store.deleteAll(in: collection)
        }
    }

    private func writeSyncLogs(
        _ facts: QueueFacts, _ batch: inout [FirestoreWrite], _ summary: inout Summary,
        _ random: inout DemoRandom
    ) async throws {
        var lastSuccess: Timestamp?
        for run in DemoTimeline.nightlyRuns {
            let failed = DemoTimeline.isFailedRun(run)
            let duration = Double(random.int(2_000...8_000)) / 1_000
            var completed = run.adding(seconds: Int64(duration))
            if run == DemoTimeline.lastSuccessfulRunStarted { completed = DemoTimeline.lastSuccessfulRunCompleted }
            let since = lastSuccess ?? run.adding(seconds: -86_400)
            let stats: FirestoreValue = [
                "started_at": .timestamp(run), "last_sync": .timestamp(since), "completed_at": .timestamp(completed),
                "duration_seconds": .double(duration),
                "django_to_firestore": [
                    "success": .integer(Int64(failed ? 0 : facts.syncedPerRun[run] ?? 0)),
                    "failed": .integer(Int64(facts.failedPerRun[run] ?? 0)),
                ],
                "firestore_to_django": ["success": .integer(Int64(random.int(0...3))), "failed": 0],
                "error": failed
                    ? "HTTPSConnectionPool(host='starf.sosialistaflokkurinn.is', port=443): Read timed out." : .null,
            ]
            batch.append(
                .set(
                    CollectionName.syncLogs.document(Self.autoID(&random)),
                    [
                        "type": "bidirectional_sync", "status": .string(failed ? "failed" : "success"), "stats": stats,
                        "created_at": .timestamp(completed), "completed_at": .timestamp(completed),
                    ]))
            summary.syncLogs += 1
            if failed { summary.failedRuns += 1 } else { lastSuccess = completed }
        }
        // The older full sync, before the queue: 2,174 members in 83 s.
        for day in ["2025-10-10T02:00:00Z", "2025-10-17T02:00:00Z"] {
            let started = Timestamp(parsing: day)!
            let completed = started.adding(seconds: 83)
            batch.append(
                .set(
                    CollectionName.syncLogs.document(Self.autoID(&random)),
                    [
                        "type": "member_sync", "status": "success",
                        "stats": [
                            "total_members": .integer(Int64(factory.memberCount)),
                            "synced": .integer(Int64(factory.memberCount)),
                            "failed": 0, "duration_seconds": 83.4, "started_at": .timestamp(started),
                        ],
                        "created_at": .timestamp(completed), "completed_at": .timestamp(completed),
                    ]))
            summary.syncLogs += 1
        }
    }

    private func writeSyncQueue(_ batch: inout [FirestoreWrite], _ summary: inout Summary, _ random: inout DemoRandom) {
        let count = max(12, factory.memberCount / 50)
        for index in 0..<count {
            var member = factory.member(random.int(1...factory.memberCount))
            while member.isPlaceholder { member = factory.member(random.int(1...factory.memberCount)) }
            var changes: [String: FirestoreValue] = [:]
            switch random.int(0...3) {
            case 0: changes["profile.email"] = .string("nytt.\(member.id)@\(random.pick(DemoVocabulary.emailDomains))")
            case 1: changes["profile.housingSituation"] = .integer(Int64(random.int(0...6)))
            case 2: changes["address.street"] = .string("\(random.pick(DemoVocabulary.streets)) \(random.int(1...99))")
            default: changes["membership.status"] = "active"
            }
            if random.chance(0.3) { changes["profile.phone"] = .string("\(random.int(6_000_000...8_999_999))") }
            let roll = random.int(0...99)
            let status = roll < 15 ? "pending" : roll < 25 ? "failed" : "synced"
            let created: Timestamp =
                status == "pending"
                ? DemoTimeline.lastSuccessfulRunCompleted.adding(seconds: Int64(random.int(60...100_000)))
                : DemoTimeline.historyStart.adding(seconds: Int64(random.int(0...2_500_000)))
            var ssn = member.ssn
            var error = ""
            if status == "failed" {
                // Django's apply answered "Member not found" for an SSN it no longer had.
                ssn = factory.deletedSSN(index % max(factory.deletedMemberCapacity, 1))
                error = "Member not found"
            }
            let camel = index % 2 == 1
            var fields: [String: FirestoreValue] = [
                "source": "firestore", "target": "django", "collection": .string(CollectionName.members.rawValue),
                "docId": .string(ssn),
                "kennitala": .string(Kennitala.hyphenated(ssn)),
                "django_id": status == "failed" ? .null : .integer(Int64(member.id)),
                "action": "update", "changes": .map(changes),
                (camel ? "status" : "sync_status"): .string(status),
                (camel ? "createdAt" : "created_at"): .timestamp(created),
                (camel ? "errorMessage" : "error_message"): .string(error),
            ]
            fields[camel ? "syncedAt" : "synced_at"] =
                status == "synced" ? .timestamp(DemoTimeline.nightlyRun(after: created)) : .null
            batch.append(.set(CollectionName.syncQueue.document(Self.autoID(&random)), fields))
            summary.syncQueue[status, default: 0] += 1
            if camel { summary.camelCaseQueueDocuments += 1 }
        }
    }

    /// 20 characters of [A-Za-z0-9], as the Python SDK's `collection.add()` makes them.
    static func autoID(_ random: inout DemoRandom) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<20).map { _ in alphabet[random.int(0...(alphabet.count - 1))] })
    }
}
