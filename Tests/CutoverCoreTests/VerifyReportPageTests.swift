import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Reports
import TestSupport
import Testing

/// verify.html says all verify.md says: every count, the source, the target and when it was checked.
struct VerifyReportPageTests {
    /// The numbers in a page's text, in order: Markdown as it is, HTML without its markup, style and script.
    static func numbers(_ text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "[0-9]+")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range, in: text)!])
        }
    }

    static func visibleText(_ html: String) -> String {
        var text = html
        for pattern in ["<style>[\\s\\S]*?</style>", "<script>[\\s\\S]*?</script>", "<[^>]*>"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        for (entity, character) in [("&#39;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    @Test func theHTMLPageCarriesEveryCountOfTheMarkdownOne() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            _ = try await world.drain()
            let report = try await world.verify()
            let masker = Masker()
            let document = report.document(masker: masker)
            let markdown = MarkdownRenderer.render(document)
            let html = HTMLRenderer.render(document)
            let text = Self.visibleText(html)
            #expect(Self.numbers(markdown) == Self.numbers(text))
            for fact in [report.source, report.target, report.startedAt.iso8601, report.finishedAt.iso8601] {
                #expect(markdown.contains(fact) && text.contains(fact), "\(fact)")
            }
            for (status, count) in report.proof.statusCounts {
                #expect(text.contains("\(status) \(count)"))
            }
            #expect(text.contains("members") && text.contains("\(report.reconciliation.members)"))
        }
    }
}
