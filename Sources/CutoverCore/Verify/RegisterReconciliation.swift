import CutoverSupport
import DocumentParity
import Firestore
import Foundation
import LegacySync
import SQLite
import Synchronization

/// The register against the target's `members` documents, member by member: every member except
/// 9999 placeholders must have a document equal, under the rules, to what Path B would write now.
/// A sort-merge by kennitala: the register is staged to a temporary SQLite file and read back sorted
/// (the live database cannot hold a cursor open across the store's requests), the documents are
/// paged in name order; memory holds one page.
public struct RegisterReconciliation: Sendable {
    public struct Finding: Sendable, Equatable {
        public enum Kind: String, Sendable { case missing, extra, different }
        public var kind: Kind
        public var kennitala: String
        /// Field paths that differ (not accepted by the rules).
        public var paths: [String]
    }

    public var members = 0
    public var documents = 0
    public var matching = 0
    public var placeholders = 0
    /// Documents of members no longer in the register, marked inactive as a delete leaves them.
    public var inactiveWithoutMember = 0
    public var findings: [Finding] = []
    /// What the register lacks: fields fed only by an absent table are not checked, and the report
    /// says so with the cause, rather than calling every document different.
    public var unchecked: [RegisterSchema.Absence] = []
    /// Findings by kind (the list is capped, the counts are not).
    public var counts: [Finding.Kind: Int] = [:]
    static let findingsKept = 1_000
    static let pageSize = 1_000
    static let sliceSize = 250
    static let stagingBatchSize = 512

    /// Path B's webhook data for each member, as canonical text, in order, two halves at once.
    static func pathBTexts(_ members: [RegisterMember]) -> [String] {
        let half = (members.count + 1) / 2
        let halves = [members[..<half], members[half...]]
        let texts = Mutex([[String]](repeating: [], count: 2))
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let written = halves[index].map { $0.pathBDataJSON.canonicalText }
            texts.withLock { $0[index] = written }
        }
        return texts.withLock { $0[0] + $0[1] }
    }

    public var passes: Bool { counts.values.reduce(0, +) == 0 }

    mutating func count(_ outcome: ReconciliationPair.Outcome) {
        switch outcome {
        case .placeholder: placeholders += 1
        case .matching: matching += 1
        case .finding(let finding): record(finding)
        }
    }

    mutating func record(_ finding: Finding) {
        counts[finding.kind, default: 0] += 1
        if findings.count < Self.findingsKept { findings.append(finding) }
    }

    /// `only`: the members a drill-down reconciles (normalised kennitalas); nil: every member and document.
    static func run(
        database: any LegacyDatabase, schema: String, store: any DocumentStore, rules: ParityRules,
        scratchDirectory: String, only wanted: Set<String>? = nil, progress: (String) -> Void,
        counted: (ProgressCount) -> Void
    ) async throws -> RegisterReconciliation {
        progress("staging the member register")
        // The register's kennitalas, unmasked: in a private staging directory that a signal removes.
        let scratch = try StagingDirectory(for: "\(scratchDirectory)/cutover-verify")
        defer { scratch.remove() }
        let stagingPath = scratch.file("register.sqlite")
        let staging = try SQLiteDatabase(path: stagingPath, mode: .create)
        // Appended in id order and sorted once when read: inserting into a kennitala-keyed B-tree in
        // id order touched a random page per member, and at a million members that page traffic was
        // 40% of the whole run.
        try staging.execute(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                + "CREATE TABLE register (ssn TEXT NOT NULL, path_b TEXT NOT NULL)")
        var result = RegisterReconciliation()
        try staging.withTransaction {
            let insert = try staging.prepare("INSERT INTO register (ssn, path_b) VALUES (?, ?)")
            // The reader and the inserts stay on this thread; Path B's JSON for each batch of members is
            // written on both cores, the costliest part of staging.
            var batch: [RegisterMember] = []
            func stage() throws {
                let texts = Self.pathBTexts(batch)
                for (member, text) in zip(batch, texts) {
                    try insert.run([.text(Kennitala.normalised(member.ssn)), .text(text)])
                }
                result.members += batch.count
                batch.removeAll(keepingCapacity: true)
            }
            try database.withConsistentRead { _ in
                let reader = try RegisterReader(database: database, schema: schema)
                result.unchecked = reader.layout.absences
                try reader.scan { member in
                    if let wanted, !wanted.contains(Kennitala.normalised(member.ssn)) { return }
                    batch.append(member)
                    if batch.count == Self.stagingBatchSize { try stage() }
                }
            }
            try stage()
        }
        let comparer = DocumentComparer(rules: rules)
        let skipped = result.unchecked.flatMap(\.part.fieldPaths).map(FieldPattern.init)
        let statement = try staging.prepare("SELECT ssn, path_b FROM register ORDER BY ssn, rowid")
        func stagedRow() throws -> ReconciliationPair.Expected? {
            try statement.step() ? .init(kennitala: statement.text(0) ?? "", pathB: statement.text(1) ?? "{}") : nil
        }
        // Two members under one kennitala share one document, and Path B's last write wins: the
        // member read last (the highest id) is the one its document must match.
        var lookahead = try stagedRow()
        func nextMember() throws -> ReconciliationPair.Expected? {
            guard var current = lookahead else { return nil }
            lookahead = try stagedRow()
            while let following = lookahead, following.kennitala == current.kennitala {
                current = following
                lookahead = try stagedRow()
            }
            return current
        }
        var registerRow = try nextMember()
        func advance() throws { registerRow = try nextMember() }
        // The merge itself is cheap and sequential; each page's pairs are compared in parallel slices
        // while the store reads the next page, and recorded in kennitala order.
        func checkAll(_ pairs: [ReconciliationPair]) async throws {
            let slices = stride(from: 0, to: pairs.count, by: Self.sliceSize).map {
                pairs[$0..<min($0 + Self.sliceSize, pairs.count)]
            }
            let checked = try await withThrowingTaskGroup(of: (Int, [ReconciliationPair.Outcome]).self) { group in
                for (index, slice) in slices.enumerated() {
                    group.addTask { (index, try slice.map { try $0.check(comparer, skipping: skipped) }) }
                }
                var ordered = [[ReconciliationPair.Outcome]](repeating: [], count: slices.count)
                for try await (index, outcomes) in group { ordered[index] = outcomes }
                return ordered.flatMap { $0 }
            }
            for outcome in checked { result.count(outcome) }
        }
        func fetchPage(after token: String?) -> Task<DocumentPage, any Error> {
            Task { try await store.listDocuments(collection: .members, pageSize: Self.pageSize, pageToken: token) }
        }
        // The register's size is the documents' total: one per member, give or take the duplicates, the
        // 9999 placeholders and the inactive extras — known exactly only at the end, so shown as `~`.
        progress("reconciling \(result.members) members with the store's documents")
        var read = 0
        func documentsRead() {
            counted(ProgressCount(read, of: result.members, estimated: true, unit: "documents"))
        }
        documentsRead()
        var nextPage: Task<DocumentPage, any Error>? =
            if let wanted, wanted.count <= Self.pageSize {
                // A drill-down to a few members reads their documents, not the whole collection; in
                // name order, as the merge needs.
                Task {
                    let found = try await store.batchGet(wanted.map { DocumentPath.member($0) })
                    return DocumentPage(documents: found.values.sorted { $0.id < $1.id }, nextPageToken: nil)
                }
            } else {
                fetchPage(after: nil)
            }
        while let fetching = nextPage {
            let page = try await fetching.value
            nextPage = page.nextPageToken.flatMap { $0.isEmpty ? nil : fetchPage(after: $0) }
            var pairs: [ReconciliationPair] = []
            for document in page.documents {
                read += 1
                if read % 10_000 == 0 { documentsRead() }
                let id = document.id
                if let wanted, !wanted.contains(id) { continue }
                result.documents += 1
                while let expected = registerRow, expected.kennitala < id {
                    pairs.append(ReconciliationPair(expected: expected, document: nil))
                    try advance()
                }
                if let expected = registerRow, expected.kennitala == id {
                    pairs.append(ReconciliationPair(expected: expected, document: document))
                    try advance()
                } else if document.value(at: FieldPath(["membership", "status"])) == "inactive" {
                    result.inactiveWithoutMember += 1
                } else if !Kennitala.isPlaceholder(id) {
                    result.record(Finding(kind: .extra, kennitala: id, paths: []))
                }
            }
            try await checkAll(pairs)
        }
        var rest: [ReconciliationPair] = []
        while let expected = registerRow {
            rest.append(ReconciliationPair(expected: expected, document: nil))
            if rest.count == Self.pageSize {
                try await checkAll(rest)
                rest.removeAll(keepingCapacity: true)
            }
            try advance()
        }
        try await checkAll(rest)
        return result
    }
}
