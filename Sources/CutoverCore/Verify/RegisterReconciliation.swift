import Foundation
import SQLite

/// The register against the target's `members` documents, member by member: every member except
/// 9999 placeholders must have a document equal, under the rules, to what Path B would write now.
/// A sort-merge by kennitala: the register is staged to a temporary SQLite file in kennitala order
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
    /// Findings by kind (the list is capped, the counts are not).
    public var counts: [Finding.Kind: Int] = [:]
    static let findingsKept = 1_000

    public var passes: Bool { counts.values.reduce(0, +) == 0 }

    mutating func record(_ finding: Finding) {
        counts[finding.kind, default: 0] += 1
        if findings.count < Self.findingsKept { findings.append(finding) }
    }

    static func run(database: any LegacyDatabase, schema: String, store: any DocumentStore, rules: ParityRules,
                    scratchDirectory: String, progress: (Int) -> Void) async throws -> RegisterReconciliation {
        let stagingPath = "\(scratchDirectory)/cutover-verify-\(getpid())-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: stagingPath + suffix) }
        }
        let staging = try SQLiteDatabase(path: stagingPath, mode: .create)
        try staging.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
            + "CREATE TABLE register (ssn TEXT PRIMARY KEY, path_b TEXT NOT NULL) WITHOUT ROWID")
        var result = RegisterReconciliation()
        try staging.withTransaction {
            let insert = try staging.prepare("INSERT OR REPLACE INTO register (ssn, path_b) VALUES (?, ?)")
            try database.withConsistentRead { _ in
                try RegisterReader(database: database, schema: schema).scan { member in
                    try insert.run([.text(Kennitala.normalised(member.ssn)), .text(member.pathBDataJSON.canonicalText)])
                    result.members += 1
                }
            }
        }
        let comparer = DocumentComparer(rules: rules)
        let statement = try staging.prepare("SELECT ssn, path_b FROM register ORDER BY ssn")
        var registerKey: String? = try statement.step() ? statement.text(0) : nil
        func advance() throws { registerKey = try statement.step() ? statement.text(0) : nil }
        func check(_ kennitala: String, _ document: FirestoreDocument?) throws {
            if Kennitala.isPlaceholder(kennitala) {
                result.placeholders += 1
                return
            }
            let data = try JSONValue(parsing: statement.text(1) ?? "{}")
            guard let document else {
                result.record(Finding(kind: .missing, kennitala: kennitala, paths: []))
                return
            }
            let expected = FirestoreDocument(
                path: document.path, fields: PathBMemberDocument.fields(data: data, serverTime: .now, functionClock: .now))
            let comparison = comparer.compare(kennitala: kennitala, a: document, b: expected, events: [])
            if comparison?.isAcceptable ?? true {
                result.matching += 1
            } else {
                result.record(Finding(kind: .different, kennitala: kennitala,
                                      paths: comparison!.differences.filter { !$0.isAccepted }.map(\.path)))
            }
        }
        try await store.forEachDocument(in: "members", pageSize: 500) { document in
            result.documents += 1
            if result.documents % 10_000 == 0 { progress(result.documents) }
            let id = document.id
            while let key = registerKey, key < id {
                try check(key, nil)
                try advance()
            }
            if registerKey == id {
                try check(id, document)
                try advance()
            } else if document.value(at: FieldPath(["membership", "status"])) == "inactive" {
                result.inactiveWithoutMember += 1
            } else if !Kennitala.isPlaceholder(id) {
                result.record(Finding(kind: .extra, kennitala: id, paths: []))
            }
        }
        while let key = registerKey {
            try check(key, nil)
            try advance()
        }
        return result
    }
}
