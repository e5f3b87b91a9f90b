import LegacySync

/// The same table under another name (a scratch schema for the restore rehearsal): the table name,
/// its sequence, and every DDL text that names them are rewritten.
extension QueueTableDescription {
    public func retargeted(to target: QueueTableName) -> QueueTableDescription {
        guard target != name else { return self }
        func rewrite(_ text: String) -> String {
            var text = text
            // Quoted and plain spellings, qualified first so a bare table name is not rewritten twice.
            let pairs = [
                (name.quoted, target.quoted),
                (
                    "\(name.schema).\(name.table)",
                    "\(QueueTableName.quote(target.schema)).\(QueueTableName.quote(target.table))"
                ),
            ]
            for (old, new) in pairs { text = text.replacingOccurrences(of: old, with: new) }
            return text
        }
        func rewriteSequence(_ text: String) -> String {
            guard let sequence = self.sequence, sequence.kind == "serial" else { return text }
            let bare = sequence.name.split(separator: ".").last.map(String.init) ?? sequence.name
            let unquoted = bare.replacingOccurrences(of: "\"", with: "")
            let retargeted = "\(QueueTableName.quote(target.schema)).\(QueueTableName.quote(unquoted))"
            return text.replacingOccurrences(of: sequence.name, with: retargeted)
                .replacingOccurrences(of: "'\(bare)'", with: "'\(retargeted)'")
        }
        let columns = self.columns.map { column in
            QueueTableDescription.Column(
                name: column.name, type: column.type, isNullable: column.isNullable,
                defaultExpression: column.defaultExpression.map { rewriteSequence(rewrite($0)) },
                identity: column.identity)
        }
        let indexes = self.indexes.map {
            QueueTableDescription.Index(name: $0.name, definition: rewrite($0.definition))
        }
        let retargetedSequence = self.sequence.map { sequence in
            QueueTableDescription.Sequence(
                name: sequence.kind == "serial" ? rewriteSequence(sequence.name) : sequence.name, kind: sequence.kind,
                lastValue: sequence.lastValue, isCalled: sequence.isCalled)
        }
        return QueueTableDescription(
            engine: engine, name: target, columns: columns, constraints: constraints, indexes: indexes,
            sequence: retargetedSequence,
            definitionScript: engine == .postgresql
                ? PostgresDefinitionScript.render(
                    name: target, columns: columns, constraints: constraints, indexes: indexes,
                    sequence: retargetedSequence)
                : definitionScript)
    }
}
