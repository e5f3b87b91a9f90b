extension Ledger {
    /// The files a step wrote, by the role later steps and gates read them back in. Stored as a JSON
    /// object whose keys are the roles' names ("snapshot", "report", "journal", "archive", "record").
    public struct Outputs: Sendable, Equatable {
        /// The snapshot file (`snapshot`).
        public var snapshot: String?
        /// The step's JSON report (`parity replay`, `drain`, `verify`).
        public var report: String?
        /// The drain journal.
        public var journal: String?
        /// The archive (`archive create`, and the one `retire` relied on).
        public var archive: String?
        /// The restore record (`restore`).
        public var restoreRecord: String?

        public init(
            snapshot: String? = nil, report: String? = nil, journal: String? = nil, archive: String? = nil,
            restoreRecord: String? = nil
        ) {
            self.snapshot = snapshot
            self.report = report
            self.journal = journal
            self.archive = archive
            self.restoreRecord = restoreRecord
        }

        /// Role name → path, as stored.
        var byRole: [String: String] {
            let roles: [(String, String?)] = [
                ("snapshot", snapshot), ("report", report), ("journal", journal), ("archive", archive),
                ("record", restoreRecord),
            ]
            return Dictionary(uniqueKeysWithValues: roles.compactMap { name, path in path.map { (name, $0) } })
        }

        init(byRole: [String: String]) {
            self.init(
                snapshot: byRole["snapshot"], report: byRole["report"], journal: byRole["journal"],
                archive: byRole["archive"], restoreRecord: byRole["record"])
        }

        /// Every path, for digests.
        var paths: [String] { Array(byRole.values) }
    }
}
