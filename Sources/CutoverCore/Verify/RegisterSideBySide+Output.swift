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
        var lines = [
            "member \(member): \(verdict.rawValue) (as verify sees it); rules: \(rulesOrigin)",
            "  register: \(source)",
            "  document: \(target)",
            "",
        ]
        lines += MemberSideBySide.Field.table(
            fields, sides: ("document", "register"), renamed: { " (register: \($0))" })
        return lines.joined(separator: "\n") + "\n"
    }
}
