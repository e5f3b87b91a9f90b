import CutoverSupport
import DocumentParity
import Foundation

extension MemberSideBySide {
    /// `cutover parity show --json`: the same facts, one envelope-free object (sorted keys when printed).
    public var json: JSONValue {
        func events(_ list: [ReplayEvent]) -> JSONValue {
            .array(
                list.map { event in
                    [
                        "row": .integer(event.rowID), "action": .string(event.action.rawValue),
                        "outcome": .string(event.outcome.rawValue), "detail": .string(event.detail),
                        "cause": event.cause.map { .string($0.rawValue) } ?? .null,
                    ]
                })
        }
        return [
            "format": "cutover-parity-show", "format_version": 1, "view": "paths",
            "member": .string(member), "verdict": verdict.map { .string($0.rawValue) } ?? .null,
            "rules": .string(rulesOrigin), "rows": .array(rows.map(JSONValue.integer)),
            "fields": .array(
                fields.map { field in
                    [
                        "path": .string(field.path), "path_b": field.pathB.map(JSONValue.string) ?? .null,
                        "a": .string(field.a), "b": .string(field.b), "rule": .string(field.rule),
                        "verdict": .string(field.verdict.rawValue),
                        "causes": .array(field.causes.map { .string($0.rawValue) }),
                    ]
                }),
            "path_a": events(pathA), "path_b": events(pathB),
        ]
    }

    /// Columns for a terminal: field, Path A's value, Path B's value, verdict, then the rule on its own
    /// line beneath (rules are sentences; beside the values they would push everything off screen).
    public var text: String {
        var lines = [
            "member \(member): \(verdict?.rawValue ?? "no document on either path"); rows "
                + (rows.isEmpty ? "none" : self.rows.map(String.init).joined(separator: ", "))
                + "; rules: \(rulesOrigin)",
            "",
        ]
        lines += Field.table(fields, sides: ("Path A", "Path B"), renamed: { " (B: \($0))" })
        lines.append("")
        for (side, events) in [("Path A", pathA), ("Path B", pathB)] {
            lines.append("\(side):")
            lines += events.map {
                "  row \($0.rowID) \($0.action.rawValue) \($0.outcome.rawValue)"
                    + ($0.detail.isEmpty ? "" : " (\($0.detail))") + ($0.cause.map { " [\($0.rawValue)]" } ?? "")
            }
            if events.isEmpty { lines.append("  no row") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
