/// The statements that finish a staged table (`PostgresStagedRestore`), split by the lock each needs: what
/// may run while a second connection reads the table back, and what must wait for it.
///
/// `CREATE INDEX` takes a SHARE lock, which a reader's ACCESS SHARE lets through; `ALTER TABLE … ADD
/// CONSTRAINT` takes ACCESS EXCLUSIVE and would wait for the reader. So a primary key or unique constraint of
/// the plain form (`PRIMARY KEY (id)`) has its index built with the others, as `CREATE UNIQUE INDEX` under
/// the constraint's name, and becomes the constraint afterwards with `ADD CONSTRAINT … USING INDEX`, which
/// takes the index as it is (no second build). Checks and any other form of key are added after the reader.
struct PostgresStagedIndexPlan {
    /// Index builds, the keys' included.
    let whileReadingBack: String
    /// The keys attached to their indexes, the other constraints, and the sequence's position.
    let afterReadingBack: String

    init(_ table: QueueTableDescription) {
        var during: [String] = []
        var after: [String] = []
        let order = ["p": 0, "u": 1, "c": 2, "x": 3]
        let constraints = table.constraints.filter { $0.kind != "f" }.sorted {
            (order[$0.kind] ?? 5, $0.name) < (order[$1.kind] ?? 5, $1.name)
        }
        for constraint in constraints {
            let name = QueueTableName.quote(constraint.name)
            let alter = "ALTER TABLE \(table.name.quoted) ADD CONSTRAINT \(name)"
            if let key = Self.plainKey(constraint) {
                during.append("CREATE UNIQUE INDEX \(name) ON \(table.name.quoted) USING btree (\(key.columns))")
                after.append("\(alter) \(key.kind) USING INDEX \(name)")
            } else {
                after.append("\(alter) \(constraint.definition)")
            }
        }
        during += table.indexes.map(\.definition)
        if let sequence = table.sequence {
            after.append(PostgresDefinitionScript.setval(sequence, table: table.name))
        }
        whileReadingBack = during.map { $0 + ";" }.joined(separator: "\n")
        afterReadingBack = after.map { $0 + ";" }.joined(separator: "\n")
    }

    /// `PRIMARY KEY (a, b)` or `UNIQUE (a)` and nothing more (no INCLUDE, NULLS NOT DISTINCT, DEFERRABLE or
    /// index parameters): the forms an index built beforehand reproduces exactly.
    static func plainKey(_ constraint: QueueTableDescription.Constraint) -> (kind: String, columns: String)? {
        let kind: String
        switch constraint.kind {
        case "p": kind = "PRIMARY KEY"
        case "u": kind = "UNIQUE"
        default: return nil
        }
        let definition = constraint.definition
        guard definition.hasPrefix("\(kind) ("), definition.hasSuffix(")") else { return nil }
        let columns = definition.dropFirst(kind.count + 2).dropLast()
        guard !columns.contains("("), !columns.contains(")") else { return nil }
        return (kind, String(columns))
    }
}
