import CutoverSupport
import DocumentParity
import Firestore
import Foundation
import LegacySync

/// `cutover verify`: the drain's proof (nothing left at or below its mark, nothing written above
/// it) and a full reconciliation of the register against the target's documents.
public struct DrainVerifier {
    public struct Configuration: Sendable {
        public var table: QueueTableName
        public var journalPath: String
        public var rules: ParityRules
        public var scratchDirectory = NSTemporaryDirectory()
        /// The key of the tags beside masked kennitalas: `CUTOVER_TAG_KEY`, else this run's (`MemberTag`).
        public var memberTag = MemberTag.forThisRun
        /// A drill-down: only these members, or only the members with a queue row created in the window
        /// (the queue is the register's change log; the register keeps no change times of its own).
        public var scope = ReplayScope.everything

        public init(table: QueueTableName, journalPath: String, rules: ParityRules) {
            self.table = table
            self.journalPath = journalPath
            self.rules = rules
        }
    }

    let configuration: Configuration
    let database: any LegacyDatabase
    let store: any DocumentStore

    public init(configuration: Configuration, database: any LegacyDatabase, store: any DocumentStore) {
        self.configuration = configuration
        self.database = database
        self.store = store
    }

    /// The phases `run` names through `progress`: the drain's proof, staging the register, the documents
    /// (counted, of about as many as the register has members).
    public static let phaseCount = 3

    public func run(
        progress: (String) -> Void = { _ in }, counted: (ProgressCount) -> Void = { _ in }
    ) async throws -> VerifyReport {
        let startedAt = Timestamp.now
        progress("checking the drain's proof against the queue and the journal")
        let queue = try QueueTableWriter(database: database, table: configuration.table)
        let proof = try DrainProof.check(
            queue: queue, journal: try DrainJournal.existing(path: configuration.journalPath))
        let scope = configuration.scope
        var wanted: Set<String>?
        if scope.hasWindow {
            wanted = try queue.kennitalas { scope.contains($0) }.filter(scope.admits)
        } else if scope.isRestricted {
            wanted = scope.members
        }
        let reconciliation = try await RegisterReconciliation.run(
            database: database, schema: configuration.table.schema, store: store, rules: configuration.rules,
            scratchDirectory: configuration.scratchDirectory, only: wanted, progress: progress, counted: counted)
        return VerifyReport(
            proof: proof, reconciliation: reconciliation, rulesOrigin: configuration.rules.origin,
            source: database.redactedTarget, target: store.label, startedAt: startedAt, finishedAt: .now,
            memberTag: configuration.memberTag, scope: scope)
    }
}
