extension MemberSideBySide.Field {
    /// One member's fields as terminal columns — field, side A's value, side B's value, verdict — with the
    /// rule on its own line beneath a field that is not the same (rules are sentences; beside the values
    /// they would push everything off screen). `parity show` labels the sides "Path A"/"Path B", its
    /// register view "document"/"register"; `renamed` says how a field renamed on side B is shown.
    static func table(
        _ fields: [Self], sides: (a: String, b: String), renamed: (String) -> String
    ) -> [String] {
        let header = ["field", sides.a, sides.b, "verdict"]
        let rows = fields.map { field in
            [field.path + (field.pathB.map(renamed) ?? ""), field.a, field.b, field.verdict.rawValue]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var text = zip(cells, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [line(header)]
        for (field, cells) in zip(fields, rows) {
            lines.append(line(cells))
            if field.verdict != .same { lines.append("    \(field.rule)") }
        }
        return lines
    }
}
