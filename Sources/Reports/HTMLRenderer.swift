/// Renders a `ReportDocument` as one self-contained HTML page: no external files, one stylesheet for
/// every report, the chart as inline SVG, and one small inline script when a table is sortable (the
/// page reads without it: the rows are all there). Every piece of report text is escaped, so a field
/// name or a detail with `<` or `&` in it stays text.
public enum HTMLRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var body: [String] = []
        let badge = document.badge.map { " <span class=\"badge \($0.tone.rawValue)\">\(escape($0.text))</span>" } ?? ""
        body.append("<h1>\(escape(document.title))\(badge)</h1>")
        body += document.opening.map(render)
        for section in document.sections {
            body.append("<section><h2>\(escape(section.heading))</h2>")
            body += section.blocks.map(render)
            body.append("</section>")
        }
        if let footer = document.footer { body.append("<p class=\"foot\">\(inline(footer))</p>") }
        if document.hasSortableTable { body.append("<script>\(ReportTableScript.source)</script>") }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(document.headline))</title>
            <style>
            \(ReportStylesheet.css)</style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    static func render(_ block: ReportDocument.Block) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(inline(text))</p>"
        case .facts(let facts):
            return "<table class=\"facts\">"
                + facts.map { "<tr><th>\(escape($0.name))</th><td>\(inline($0.value))</td></tr>" }.joined() + "</table>"
        case .list(let items):
            return "<ul>"
                + items.map { item in
                    let details =
                        item.details.isEmpty
                        ? "" : "<ul>" + item.details.map { "<li>\(inline($0))</li>" }.joined() + "</ul>"
                    return "<li>\(inline(item.text))\(details)</li>"
                }.joined() + "</ul>"
        case .table(let table):
            func cellClass(_ column: ReportTable.Column) -> String { column.numeric ? " class=\"num\"" : "" }
            let head = "<tr>" + table.columns.map { "<th\(cellClass($0))>\(escape($0.title))</th>" }.joined() + "</tr>"
            let rows = table.rows.map { row in
                "<tr>" + zip(table.columns, row).map { "<td\(cellClass($0.0))>\(inline($0.1))</td>" }.joined() + "</tr>"
            }
            // In a box that scrolls sideways: on a narrow screen a wide table scrolls, the page does not.
            guard table.sortable else {
                return "<div class=\"wide\"><table>" + head + rows.joined(separator: "\n") + "</table></div>"
            }
            // Every row is in the page; the script sorts and filters them in place.
            return "<p class=\"rows\"><input type=\"search\" class=\"filter\" "
                + "placeholder=\"filter: a tag, field, cause…\" aria-label=\"show only rows containing\"> "
                + "\(table.rows.count) rows; a click on a heading sorts</p>"
                + "<div class=\"wide\"><table class=\"sortable\"><thead>" + head + "</thead><tbody>\n"
                + rows.joined(separator: "\n") + "</tbody></table></div>"
        case .chart(let chart):
            return svg(chart)
        case .code(_, let lines):
            return "<pre><code>" + lines.map(escape).joined(separator: "\n") + "</code></pre>"
        }
    }

    static func inline(_ text: ReportText) -> String {
        text.spans.map { span in
            switch span {
            case .plain(let words): escape(words)
            case .code(let name): "<code>\(escape(name))</code>"
            case .strong(let words): "<strong>\(escape(words))</strong>"
            case .alert(let words): "<strong class=\"alert\">\(escape(words))</strong>"
            }
        }.joined()
    }

    /// A horizontal bar per label, segments coloured by their series' tone, each with a tooltip;
    /// a legend beneath.
    static func svg(_ chart: ReportBarChart) -> String {
        let barWidth = 560.0
        let rowHeight = 22
        var parts: [String] = []
        for (index, bar) in chart.bars.enumerated() {
            let y = index * rowHeight
            parts.append("<text x=\"0\" y=\"\(y + 15)\">\(escape(bar.label))</text>")
            var x = 260.0
            for (series, value) in zip(chart.series, bar.values) {
                let width = Double(value) / Double(chart.largest) * barWidth
                parts.append(
                    "<rect class=\"\(series.tone.rawValue)\" x=\"\(number(x))\" y=\"\(y + 4)\" "
                        + "width=\"\(number(width))\" "
                        + "height=\"16\"><title>\(escape(series.name)): \(value)</title></rect>")
                x += width
            }
            parts.append("<text x=\"\(number(x + 6))\" y=\"\(y + 16)\">\(bar.total)</text>")
        }
        let height = chart.bars.count * rowHeight + 24
        var legendX = 260
        for series in chart.series {
            parts.append(
                "<rect class=\"\(series.tone.rawValue)\" x=\"\(legendX)\" y=\"\(height - 14)\" width=\"12\" "
                    + "height=\"10\"/>"
                    + "<text x=\"\(legendX + 16)\" y=\"\(height - 5)\">\(escape(series.name))</text>")
            legendX += 24 + 7 * series.name.count
        }
        return "<svg role=\"img\" aria-label=\"\(escape(chart.caption))\" width=\"900\" height=\"\(height)\" "
            + "viewBox=\"0 0 900 \(height)\">" + parts.joined() + "</svg>"
    }

    /// One decimal, without Foundation's formatting: the same numbers give the same text everywhere.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
