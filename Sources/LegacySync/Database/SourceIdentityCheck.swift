import CutoverSupport

/// Ties artifacts (an archive, a parity report, a drain journal, a restore record) to the database a
/// step runs on: each one that comes from another database or table is named with both sides.
public struct SourceIdentityCheck: Sendable {
    /// One artifact and the identity it recorded (nil: it recorded none).
    public struct Artifact: Sendable {
        public var name: String
        public var identity: SourceIdentity?

        public init(_ name: String, _ identity: SourceIdentity?) {
            self.name = name
            self.identity = identity
        }
    }

    public let live: SourceIdentity
    /// Off for a restore: the table it recreates was renamed or dropped, and its new OID is another one.
    public var comparingTableOID = true

    public init(live: SourceIdentity, comparingTableOID: Bool = true) {
        self.live = live
        self.comparingTableOID = comparingTableOID
    }

    /// One sentence per artifact that does not come from `live`.
    public func mismatches(_ artifacts: [Artifact]) -> [String] {
        artifacts.compactMap { artifact in
            guard let identity = artifact.identity else {
                // An artifact that cannot say where it came from cannot be tied to this database.
                return
                    "\(artifact.name) does not record which database it came from (made by an older cutover): take it "
                    + "again"
            }
            let differences = identity.differences(from: live, comparingTableOID: comparingTableOID)
            guard !differences.isEmpty else { return nil }
            return "\(artifact.name) comes from \(identity.description), not from \(live.description) ("
                + differences.joined(separator: ", ") + ")"
        }
    }

    /// Throws (bad input, exit 7) naming every mismatch, unless `force`: then returns them so the step can
    /// print them and the ledger record them.
    public func require(_ artifacts: [Artifact], step: String, force: Bool) throws -> [String] {
        let found = mismatches(artifacts)
        guard !found.isEmpty else { return [] }
        if force {
            Log.ledger.warning("\(step) forced past: \(found.joined(separator: "; "))")
            return found
        }
        throw CutoverError(
            .input, "\(step) refused: " + found.joined(separator: "; "),
            nextStep: "use the artifacts of this database, or add --force if it really is the same one (recorded)")
    }
}
