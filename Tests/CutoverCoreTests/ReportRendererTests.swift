import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Reports
import Testing

/// One document, two renderers: what a report says must reach both formats, and nothing in it may
/// break out of its place — markup in HTML, a `|` out of a Markdown table cell.
struct ReportRendererTests {
    static let hostile = "<script>alert('x')</script> & \"quoted\" | piped"

    static var document: ReportDocument {
        ReportDocument(
            title: "Trial <report>", badge: .init("FAIL", .fail),
            opening: [.facts([.init("rules", "\(code: hostile)")])],
            sections: [
                .init("Counts", [.table(.counts([("rows", 3), ("dead", 1)]))]),
                .init(
                    "Fields",
                    [
                        .chart(
                            ReportBarChart(
                                caption: "by field",
                                series: [.init("accepted", .accepted), .init("not accepted", .fail)],
                                bars: [.init(hostile, [2, 1]), .init("profile.phone", [0, 4])])),
                        .table(
                            ReportTable(
                                columns: [.init("field"), .init("detail")], rows: [["\(code: "a.b")", "\(hostile)"]])),
                        .list([.init("\(strong: "010170-****") differs", details: ["Path A: \(hostile)"])]),
                    ]),
            ],
            footer: "Exit code 11 (0 pass, 11 fail).")
    }

    @Test func htmlEscapesEveryPieceOfText() {
        let html = HTMLRenderer.render(Self.document)
        #expect(!html.contains("<script") && !html.contains("'x'"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; | piped"))
        #expect(html.contains("<title>Trial &lt;report&gt; — FAIL</title>"))
        #expect(html.contains("<span class=\"badge fail\">FAIL</span>"))
        // Stands alone: a chart, no scripts, no external files.
        #expect(html.contains("<svg") && !html.contains("http"))
        #expect(html.contains("<td class=\"num\">3</td>"))
        #expect(html.contains("Exit code 11 (0 pass, 11 fail)."))
    }

    @Test func markdownKeepsTablesWhole() {
        let markdown = MarkdownRenderer.render(Self.document)
        #expect(markdown.hasPrefix("# Trial <report>: FAIL\n"))
        #expect(markdown.contains("| rows | dead |\n|---:|---:|\n| 3 | 1 |"))
        #expect(markdown.contains("| `a.b` | <script>alert('x')</script> & \"quoted\" \\| piped |"))
        #expect(markdown.contains("- **010170-****** differs\n  - Path A: "))
        #expect(markdown.hasSuffix("\nExit code 11 (0 pass, 11 fail).\n"))
    }

    @Test func theChartIsDrawnInBothFormats() {
        let markdown = MarkdownRenderer.render(Self.document)
        // The largest bar (4) is the full width, 40 characters; the others are scaled to it.
        #expect(
            markdown.contains(
                "profile.phone" + String(repeating: " ", count: Self.hostile.count - "profile.phone".count)
                    + "  " + String(repeating: "█", count: 40) + " 4"))
        #expect(markdown.contains("▒ accepted   █ not accepted"))
        let html = HTMLRenderer.render(Self.document)
        #expect(html.contains("<title>not accepted: 4</title>") && html.contains("<title>accepted: 2</title>"))
    }

    /// The files land whole and private: written under a temporary name, renamed, mode 0600.
    @Test func aReportWritesItsThreeFilesPrivately() throws {
        let directory = NSTemporaryDirectory() + "report-files-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = try DrainReport(via: .webhook, dryRun: false)
        try report.rows.append([
            DrainRowResult(rowID: 7, kennitala: "0101702389", action: .update, outcome: .dead, detail: "HTTP 500")
        ])
        let paths = try report.write(
            into: directory, masker: Masker(), deadLetterReplay: "cutover drain --include-failed")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["dead-letters.ndjson", "drain.html", "drain.json", "drain.md"])
        for name in names {
            let mode =
                try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
        let markdown = try String(contentsOfFile: paths.markdown, encoding: .utf8)
        #expect(markdown.hasPrefix("# Drain: ROWS LEFT\n"))
        #expect(markdown.contains("- row 7 update 010170-****: dead — HTTP 500"))
        #expect(markdown.contains("Exit code 20 "))
        #expect(!markdown.contains("0101702389"))
        #expect(try String(contentsOfFile: paths.json, encoding: .utf8).contains("\"outcome\": \"dead\""))
    }
}
