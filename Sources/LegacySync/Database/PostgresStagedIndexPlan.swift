/// The statements that finish a staged table (`PostgresStagedRestore`), split by the lock each needs: what
/// may run while a second connection reads the table back, and what must wait for it.
///
/// `CREATE INDEX` takes a SHARE lock, which a reader's ACCESS SHARE lets through; `ALTER TABLE … ADD
/// CONSTRAINT` takes ACCESS EXCLUSIVE and would wait for the reader. So a primary key or unique constraint of
/// the plain form (`PRIMARY KEY (id)`) has its index built with the others, as `CREATE UNIQUE INDEX` under
/// the constraint's name, and becomes the constraint afterwards with `ADD CONSTRAINT … USING INDEX`, which
/// takes the index as it is (no second build). Checks and any other form of key are added after the reader.
struct PostgresStagedIndexPlan {
    /// Index builds, the keys' included, one statement each, the costliest first (`estimatedCost`): builders
    /// that take them in this order from one queue end close together.
    let builds: [String]
    /// The keys attached to their indexes, the other constraints, and the sequence's position.
    let afterReadingBack: String

    init(_ table: QueueTableDescription) {
        var during: [(statement: String, columns: String)] = []
        var after: [String] = []
        let order = ["p": 0, "u": 1, "c": 2, "x": 3]
        let constraints = table.constraints.filter { $0.kind != "f" }.sorted {
            (order[$0.kind] ?? 5, $0.name) < (order[$1.kind] ?? 5, $1.name)
        }
        for constraint in constraints {
            let name = QueueTableName.quote(constraint.name)
            let alter = "ALTER TABLE \(table.name.quoted) ADD CONSTRAINT \(name)"
            if let key = Self.plainKey(constraint) {
                let build = "CREATE UNIQUE INDEX \(name) ON \(table.name.quoted) USING btree (\(key.columns))"
                during.append((build, key.columns))
                after.append("\(alter) \(key.kind) USING INDEX \(name)")
            } else {
                after.append("\(alter) \(constraint.definition)")
            }
        }
        during += table.indexes.map { ($0.definition, Self.keyColumns(of: $0.definition) ?? "") }
        if let sequence = table.sequence {
            after.append(PostgresDefinitionScript.setval(sequence, table: table.name))
        }
        let types = Dictionary(table.columns.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        // Stable: equal estimates keep the captured order.
        builds = during.enumerated().sorted {
            let (left, right) = (
                Self.estimatedCost($0.element.columns, types), Self.estimatedCost($1.element.columns, types)
            )
            return left != right ? left > right : $0.offset < $1.offset
        }.map(\.element.statement)
        afterReadingBack = after.map { $0 + ";" }.joined(separator: "\n")
    }

    /// A rough rank of a btree build's cost from its key columns, for ordering only: each key column 1, a
    /// collatable one (`char`, `varchar`, `text`) compared under its collation 3, under a `*_pattern_ops` class
    /// (plain byte comparisons) 2, an expression 3. On the queue table's million rows the statement log gave
    /// (ssn, created_at) 6.4 s, (ssn) 4.7, (sync_status, created_at) 2.9, (ssn varchar_pattern_ops) 2.7,
    /// (member_id) 2.1, the integer and timestamp keys 1.2–1.3 (Benchmarks/results/issue21-restore-statement-log.md):
    /// the wide text keys first, the narrow ones last. Misranking costs little; builders take the next statement
    /// whenever they finish one.
    static func estimatedCost(_ columns: String, _ types: [String: String]) -> Int {
        splitTopLevel(columns).reduce(0) { cost, element in
            let words = element.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first else { return cost }
            let name = first.hasPrefix("\"") ? String(first.dropFirst().dropLast()) : String(first)
            guard let type = types[name] else { return cost + 3 }
            guard type.contains("char") || type.contains("text") else { return cost + 1 }
            return cost + (words.contains { $0.hasSuffix("_pattern_ops") } ? 2 : 3)
        }
    }

    /// What stands between the parentheses of `… USING method (…)` in `pg_get_indexdef`'s text, nil when the
    /// definition has another shape.
    static func keyColumns(of definition: String) -> String? {
        guard let using = definition.range(of: " USING "),
            let open = definition[using.upperBound...].firstIndex(of: "(")
        else { return nil }
        var depth = 0
        for index in definition[open...].indices {
            switch definition[index] {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return String(definition[definition.index(after: open)..<index]) }
            default: break
            }
        }
        return nil
    }

    private static func splitTopLevel(_ list: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = list.startIndex
        for index in list.indices {
            switch list[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(list[start..<index].drop { $0 == " " })
                start = list.index(after: index)
            default: break
            }
        }
        parts.append(list[start...].drop { $0 == " " })
        return parts
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
