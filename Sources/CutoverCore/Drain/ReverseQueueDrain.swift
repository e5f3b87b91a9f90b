import CutoverSupport
import Firestore
import LegacySync

/// What to do with the portal's pending edits (Firestore `sync_queue`).
public enum ReverseQueueMode: String, Sendable, CaseIterable {
    /// Apply them to the Django tables, as Django's apply endpoint did, and mark them synced or failed.
    case apply
    /// Only list them.
    case report
    /// Leave them alone.
    case skip
}

/// The reverse queue's part of a drain: every pending `sync_queue` document (both naming styles —
/// the nightly run only ever saw the snake_case ones), grouped per member, applied in one
/// transaction per member (LEGACY.md §4 step 2), marked synced or failed in the style the document
/// uses. The paths Django ignores are counted and reported, never dropped silently.
public struct ReverseQueueDrain {
    let store: any DocumentStore
    let writer: DjangoRegisterWriter
    let mode: ReverseQueueMode
    /// Django's tables stay as they are: each member's edits are checked (is the member there?), not
    /// applied. A dry run of the store's side is the caller's: it hands over a store that keeps writes.
    let dryRun: Bool
    /// Members' commits in flight at once, and the retries of each.
    let commitsInFlight: Int
    let backoff: DrainBackoff

    init(
        store: any DocumentStore, writer: DjangoRegisterWriter, mode: ReverseQueueMode, dryRun: Bool = false,
        commitsInFlight: Int = 1, backoff: DrainBackoff = DrainBackoff(attempts: 1, base: 0, cap: 0)
    ) {
        self.store = store
        self.writer = writer
        self.mode = mode
        self.dryRun = dryRun
        self.commitsInFlight = max(1, commitsInFlight)
        self.backoff = backoff
    }

    /// `refresh` gives the writes that rewrite members' documents from the register once their edits reached
    /// Django, by kennitala (none for a member with nothing to rewrite). It goes in one commit with the marks of the member's edits, so
    /// they land together: a crash before leaves the edits pending, and a rerun applies and refreshes
    /// again. Members are independent: their commits travel together (`commitAll`; a target 50 ms away
    /// would otherwise cost two round trips per member, one after another, before the drain begins).
    public func run(refresh: ([String]) throws -> [String: FirestoreWrite]) async throws -> ReverseQueueReport {
        var report = ReverseQueueReport(mode: mode, dryRun: dryRun)
        guard mode != .skip else { return report }
        var pending: [(document: FirestoreDocument, camel: Bool, created: Timestamp)] = []
        // Both naming styles' queries travel together: one round trip to a distant target, not two.
        func query(_ field: String) -> StructuredQuery {
            StructuredQuery(
                collectionID: CollectionName.syncQueue.rawValue, filter: .field(FieldPath([field]), .equal, "pending"))
        }
        let store = store
        async let snakeCase = store.runQuery(query("sync_status"), parent: "")
        async let camelCase = store.runQuery(query("status"), parent: "")
        for (documents, camel) in [(try await snakeCase, false), (try await camelCase, true)] {
            for document in documents {
                let source = document.fields["source"]?.stringValue ?? "firestore"
                let target = document.fields["target"]?.stringValue ?? "django"
                guard source == "firestore" && target == "django" else { continue }
                let created = document.fields[camel ? "createdAt" : "created_at"]
                let time: Timestamp =
                    if case .timestamp(let time)? = created { time } else { Timestamp(microseconds: 0) }
                pending.append((document, camel, time))
            }
        }
        pending.sort { ($0.created, $0.document.path) < ($1.created, $1.document.path) }
        report.pending = pending.count

        var groups: [(kennitala: String, documents: [(FirestoreDocument, Bool)], changes: [String: JSONValue])] = []
        // Each member's commit: its refresh (if any) and the marks of its edits; an invalid edit's mark alone.
        var commits: [[FirestoreWrite]] = []
        for (document, camel, _) in pending {
            guard let raw = document.fields["kennitala"]?.stringValue, !raw.isEmpty else {
                report.invalid.append(.init(document: document.path, problem: "missing kennitala"))
                if mode == .apply {
                    commits.append(Self.marks([(document, camel)], error: "cutover drain: missing kennitala"))
                }
                continue
            }
            let kennitala = Kennitala.normalised(raw)
            guard case .map(let changes)? = document.fields["changes"] else {
                report.invalid.append(.init(document: document.path, problem: "changes is not a map"))
                if mode == .apply {
                    commits.append(Self.marks([(document, camel)], error: "cutover drain: changes is not a map"))
                }
                continue
            }
            if let index = groups.firstIndex(where: { $0.kennitala == kennitala }) {
                groups[index].documents.append((document, camel))
                groups[index].changes.merge(changes.mapValues(\.json)) { _, later in later }
            } else {
                groups.append((kennitala, [(document, camel)], changes.mapValues(\.json)))
            }
        }
        // Each member's edits as Django took them: an error when they could not be applied.
        var settled: [(kennitala: String, documents: [(FirestoreDocument, Bool)], error: String?)] = []
        for group in groups {
            for path in group.changes.keys where !DjangoRegisterWriter.appliedPaths.contains(path) {
                report.ignoredPaths[path, default: 0] += group.documents.count
            }
            guard mode == .apply else {
                report.listed += group.documents.count
                continue
            }
            let outcome =
                dryRun
                ? try writer.check(kennitala: group.kennitala)
                : try writer.apply(kennitala: group.kennitala, changes: group.changes)
            settled.append((group.kennitala, group.documents, outcome.error))
        }
        // The refreshes read the register once for every member whose edits reached Django, after all of
        // them did: a read per member cost the drain's start some 30 round trips to the database.
        let refreshes = try refresh(settled.filter { $0.error == nil }.map(\.kennitala))
        for (kennitala, documents, error) in settled {
            var writes: [FirestoreWrite] = []
            if error == nil {
                if let write = refreshes[kennitala] { writes.append(write) }
                report.refreshedDocuments += 1
                report.applied += documents.count
            } else {
                report.failed += documents.count
            }
            commits.append(writes + Self.marks(documents, error: error))
        }
        try await commitAll(commits)
        return report
    }

    /// Writes in one request of the reverse queue's: Firestore's limit on a commit.
    static let writesPerRequest = 500

    /// The members' commits, as many as fit in one request together: a target 50 ms away cost a round
    /// trip per member, `commitsInFlight` at a time (issue 21: 31 members' edits took 0.3 s of a 3.6 s
    /// drain). A commit is atomic, so each member's writes still land together. A request that fails
    /// sends its members' commits one by one, `commitsInFlight` at a time, with retries; the first that
    /// fails then is thrown. Sending a member's writes again is harmless: the refresh rewrites the
    /// register's data, the marks say the same again.
    private func commitAll(_ commits: [[FirestoreWrite]]) async throws {
        var requests: [[[FirestoreWrite]]] = []
        var writes = 0
        for commit in commits {
            if requests.isEmpty
                || (writes + commit.count > Self.writesPerRequest && !requests[requests.count - 1].isEmpty)
            {
                requests.append([])
                writes = 0
            }
            requests[requests.count - 1].append(commit)
            writes += commit.count
        }
        for request in requests {
            if request.count > 1, (try? await store.commit(request.flatMap { $0 })) != nil { continue }
            try await commitEach(request)
        }
    }

    /// The commits, `commitsInFlight` at a time; the first that fails after its retries is thrown.
    private func commitEach(_ commits: [[FirestoreWrite]]) async throws {
        let (store, backoff) = (store, backoff)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for writes in commits {
                if running == commitsInFlight {
                    try await group.next()
                    running -= 1
                }
                group.addTask { _ = try await backoff.run { try await store.commit(writes) } }
                running += 1
            }
            try await group.waitForAll()
        }
    }

    private static func marks(_ documents: [(FirestoreDocument, Bool)], error: String?) -> [FirestoreWrite] {
        documents.map { document, camel in
            let status = FieldPath([camel ? "status" : "sync_status"])
            if let error {
                return .update(
                    document.path,
                    [status: "failed", FieldPath([camel ? "errorMessage" : "error_message"]): .string(error)])
            }
            return .update(
                document.path, [status: "synced"], serverTime: [FieldPath([camel ? "syncedAt" : "synced_at"])])
        }
    }
}

/// The reverse queue's counts, and what Django ignored.
public struct ReverseQueueReport: Sendable {
    public struct Invalid: Sendable, Equatable {
        public var document: String
        public var problem: String
    }

    public var mode: ReverseQueueMode = .skip
    /// The counts say what a run would do; nothing was applied or marked.
    public var dryRun = false
    public var pending = 0
    public var applied = 0
    public var failed = 0
    public var listed = 0
    public var invalid: [Invalid] = []
    /// Why the reverse queue could not be read or marked, when it could not.
    public var error: String?
    /// Members whose document the drain rewrote from the register after their edits reached Django
    /// (Django's save would have sent them on).
    public var refreshedDocuments = 0
    /// Change path → documents that carried it, which Django's apply ignored (yet counted as success).
    public var ignoredPaths: [String: Int] = [:]

    public var summary: String {
        var parts = ["\(pending) pending"]
        switch mode {
        case .apply where dryRun:
            parts.append(
                "\(applied) would be applied, \(failed) would fail (member not found), \(refreshedDocuments) documents "
                    + "would be refreshed"
            )
        case .apply:
            parts.append(
                "\(applied) applied, \(failed) failed (member not found), \(refreshedDocuments) documents refreshed")
        case .report: parts.append("\(listed) listed, not applied")
        case .skip: parts.append("skipped")
        }
        if !invalid.isEmpty { parts.append("\(invalid.count) invalid") }
        if let error { parts.append("FAILED: \(error)") }
        if !ignoredPaths.isEmpty {
            parts.append(
                "paths Django ignores: "
                    + ignoredPaths.keys.sorted().map { "\($0) (\(ignoredPaths[$0]!))" }.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }

    public func json(masker: Masker) -> JSONValue {
        [
            "mode": .string(mode.rawValue), "dry_run": .bool(dryRun), "pending": .integer(Int64(pending)),
            "applied": .integer(Int64(applied)),
            "failed": .integer(Int64(failed)), "listed": .integer(Int64(listed)),
            "refreshed_documents": .integer(Int64(refreshedDocuments)),
            "invalid": .array(invalid.map { ["document": .string($0.document), "problem": .string($0.problem)] }),
            "ignored_paths": .object(ignoredPaths.mapValues { .integer(Int64($0)) }),
            "error": error.map(JSONValue.string) ?? .null,
        ]
    }
}
