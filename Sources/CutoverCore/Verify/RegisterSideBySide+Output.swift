import CutoverSupport
import Foundation

extension RegisterSideBySide {
    /// `cutover parity show --register --json`: the same facts, one envelope-free object.
    public var json: JSONValue {
        [
            "format": "cutover-parity-show", "format_version": 1, "view": "register",
            "member": .string(member), "verdict": .string(verdict.rawValue), "rules": .string(rulesOrigin),
            "source": .string(source), "target": .string(target),
            "fields": .array(
                fields.map { field in
                    [
                        "path": .string(field.path), "register_path": field.pathB.map(JSONValue.string) ?? .null,
                        "document": .string(field.a), "register": .string(field.b), "rule": .string(field.rule),
                        "verdict": .string(field.verdict.rawValue),
                    ]
                }),
        ]
    }

    /// Columns for a terminal, as `parity show` prints the two paths: field, the stored document's value,
    /// the register's (through Path B), the verdict, and the rule beneath a field that is not the same.
    public var text: String {
        let header = ["field", "document", "register", "verdict"]
        let rows = fields.map { field in
            [field.path + (field.pathB.map { " (register: \($0))" } ?? ""), field.a, field.b, field.verdict.rawValue]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var text = zip(cells, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [
            "member \(member): \(verdict.rawValue) (as verify sees it); rules: \(rulesOrigin)",
            "  register: \(source)",
            "  document: \(target)",
            "",
            line(header),
        ]
        for (field, cells) in zip(fields, rows) {
            lines.append(line(cells))
            if field.verdict != .same { lines.append("    \(field.rule)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
