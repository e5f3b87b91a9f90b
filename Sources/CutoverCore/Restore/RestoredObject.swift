import LegacySync

/// One constraint, index or sequence of the captured table, and whether a restore recreated it: the
/// restore's output lists each, so a rollback that left something out says so instead of looking whole.
public struct RestoredObject: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case constraint, index, sequence
    }

    public var kind: Kind
    public var name: String
    /// nil when recreated; otherwise why it was left out and how to add it later.
    public var skipped: String?

    public init(kind: Kind, name: String, skipped: String? = nil) {
        self.kind = kind
        self.name = name
        self.skipped = skipped
    }

    /// The line the restore prints.
    public var line: String {
        "\(kind.rawValue) \(name): " + (skipped.map { "skipped — \($0)" } ?? "restored")
    }

    /// What a PostgreSQL restore of `description` recreates. Foreign keys only when `register` names the
    /// schema that holds `membership_comrade` (the original place); elsewhere each is listed as skipped,
    /// with the archive's `queue/foreign-keys.sql` as the way to add it later.
    static func planned(
        for description: QueueTableDescription, foreignKeysRestored: Bool, whyNot: String
    ) -> [RestoredObject] {
        var objects = description.constraints.sorted { $0.name < $1.name }.map { constraint in
            RestoredObject(
                kind: .constraint, name: constraint.name,
                skipped: constraint.kind == "f" && !foreignKeysRestored
                    ? "\(whyNot); add it later, where membership_comrade exists, with `psql -d DATABASE -f "
                        + "DIR/data/queue/foreign-keys.sql` after `cutover archive extract ARCHIVE --to DIR`"
                    : nil)
        }
        objects += description.indexes.sorted { $0.name < $1.name }.map { RestoredObject(kind: .index, name: $0.name) }
        if let sequence = description.sequence { objects.append(RestoredObject(kind: .sequence, name: sequence.name)) }
        return objects
    }
}
