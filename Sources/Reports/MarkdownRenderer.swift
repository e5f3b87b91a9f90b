/// Renders a `ReportDocument` as GitHub-flavoured Markdown: `# Title: BADGE`, `##` sections, pipe
/// tables, bullet lists, facts as a bullet list, a bar chart as text bars in a code block.
public enum MarkdownRenderer {
    /// Bar length in characters for the largest value.
    static let chartWidth = 40

    public static func render(_ document: ReportDocument) -> String {
        var lines: [String] = [document.badge.map { "# \(document.title): \($0.text)" } ?? "# \(document.title)"]
        for block in document.opening { lines += [""] + render(block) }
        for section in document.sections {
            lines += ["", "## \(section.heading)"]
            for block in section.blocks { lines += [""] + render(block) }
        }
        if let footer = document.footer { lines += ["", inline(footer)] }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ block: ReportDocument.Block) -> [String] {
        switch block {
        case .paragraph(let text):
            return [inline(text)]
        case .facts(let facts):
            return facts.map { "- \($0.name): \(inline($0.value))" }
        case .list(let items):
            return items.flatMap { item in ["- " + inline(item.text)] + item.details.map { "  - " + inline($0) } }
        case .table(let table):
            let shown = table.rows.prefix(table.markdownRows ?? table.rows.count)
            let rest = table.rows.count - shown.count
            let note = rest == 0 ? [] : ["", "… \(rest) more rows in \(table.elsewhere)."]
            guard !shown.isEmpty else { return note.isEmpty ? [] : Array(note.dropFirst()) }
            return [
                "| " + table.columns.map { cell($0.title) }.joined(separator: " | ") + " |",
                "|" + table.columns.map { $0.numeric ? "---:|" : "---|" }.joined(),
            ]
                + shown.map { row in "| " + row.map { cell(inline($0)) }.joined(separator: " | ") + " |" } + note
        case .chart(let chart):
            return self.chart(chart)
        case .code(let language, let lines):
            return ["```\(language)"] + lines + ["```"]
        }
    }

    /// Text bars: one character per series (the first series `▒`, the next `█`, …) scaled to the
    /// largest bar, then the total.
    static func chart(_ chart: ReportBarChart) -> [String] {
        let marks: [Character] = ["▒", "█", "░", "▓"]
        let labelWidth = chart.bars.map(\.label.count).max() ?? 0
        var lines = ["```"]
        for bar in chart.bars {
            var drawn = ""
            for (index, value) in bar.values.enumerated() {
                let length = value == 0 ? 0 : max(1, value * chartWidth / chart.largest)
                drawn += String(repeating: marks[index % marks.count], count: length)
            }
            let padding = String(repeating: " ", count: labelWidth - bar.label.count)
            lines.append("\(bar.label)\(padding)  \(drawn) \(bar.total)")
        }
        lines.append(
            chart.series.enumerated().map { "\(marks[$0.offset % marks.count]) \($0.element.name)" }
                .joined(separator: "   "))
        lines.append("```")
        return lines
    }

    static func inline(_ text: ReportText) -> String {
        text.spans.map { span in
            switch span {
            case .plain(let words): words
            case .code(let name): name.contains("`") ? "`` \(name) ``" : "`\(name)`"
            case .strong(let words), .alert(let words): "**\(words)**"
            }
        }.joined()
    }

    /// A table cell: a `|` would end the cell, a line break the row.
    static func cell(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "|": escaped += "\\|"
            case "\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
