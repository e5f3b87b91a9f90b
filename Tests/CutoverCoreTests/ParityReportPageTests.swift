import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Reports
import TestSupport
import Testing

/// The parity page as an operator reads it in a browser: every differing member in one sortable table
/// (not cut at 100), identifiers that never collide (a keyed tag beside the mask, the same for a member
/// in every report of a snapshot), and a script only where a table sorts.
struct ParityReportPageTests {
    /// Rows of the page's sortable table, between its `<tbody>` and `</tbody>`.
    static func tableRows(_ html: String) throws -> [Substring] {
        let body = try #require(html.range(of: "<table class=\"sortable\">"))
        let start = try #require(html.range(of: "<tbody>", range: body.upperBound..<html.endIndex))
        let end = try #require(html.range(of: "</tbody>", range: start.upperBound..<html.endIndex))
        return html[start.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("<tr>") }
    }

    /// Each member's identifier as parity.json lists it.
    static func identifiers(_ report: ParityReport) throws -> [String] {
        var names: [String] = []
        try report.members.forEach { names.append($0["member"]?.stringValue ?? "") }
        return names
    }

    @Test func theHTMLPageListsEveryDifferingMemberSortably() async throws {
        try await withTemporaryDirectory { directory in
            // 127 differing members without rules (241 with 1,200 members and 4,800 rows, at twice the CPU).
            let world = try await CutoverWorld(directory: directory, members: 700, queueRows: 2_800)
            _ = try await world.snapshot("snapshot.sqlite")
            // No rules: every touched member differs, well over the 100 the Markdown page lists.
            let report = try await ParityReplay(.init(snapshotPath: "\(directory)/snapshot.sqlite", rules: .none)).run()
            #expect(report.members.count > ParityReport.membersShown)
            let document = try report.document()
            let html = HTMLRenderer.render(document)
            let rows = try Self.tableRows(html)
            #expect(rows.count == report.members.count)
            for name in try Self.identifiers(report) {
                #expect(html.contains("<code>\(HTMLRenderer.escape(name))</code>"), "\(name) is on the page")
            }
            // Sortable in place: the inline script, and no external resource.
            #expect(html.contains("<script>") && html.contains("table.sortable"))
            #expect(!html.contains("src=") && !html.contains("http"))
            // Markdown keeps its first 100 and says where the rest are.
            let markdown = MarkdownRenderer.render(document)
            #expect(
                markdown.contains(
                    "… \(report.members.count - ParityReport.membersShown) more rows in parity.html (all, sortable)"))

            // Each member is listed once: its verdict, fields and causes in the table; below it, for the same
            // first 100 in the same order, only why it differs and its rows' events — not the verdict again.
            let table = try Self.section("Differing members", of: markdown).split(separator: "\n")
                .filter { $0.hasPrefix("| `") }
            let items = try Self.section("Their rows on both paths", of: markdown).split(separator: "\n")
                .filter { $0.hasPrefix("- `") }
            #expect(table.count == ParityReport.membersShown && items.count == ParityReport.membersShown)
            for (row, item) in zip(table, items) {
                let member = row.split(separator: "`")[1]
                #expect(item.hasPrefix("- `\(member)`: "), "\(item)")
                #expect(!item.contains("all accepted") && !item.contains("not accepted:"), "\(item)")
            }
            #expect(items.count == Set(items.map { $0.split(separator: "`")[1] }).count)
        }
    }

    /// A `## title` section of a Markdown page, up to the next one.
    static func section(_ title: String, of markdown: String) throws -> Substring {
        let start = try #require(markdown.range(of: "\n## \(title)\n"))
        let end = markdown.range(of: "\n## ", range: start.upperBound..<markdown.endIndex)?.lowerBound
        return markdown[start.upperBound..<(end ?? markdown.endIndex)]
    }

    @Test func maskedIdentifiersNeverCollideAndKeepTheirTagAcrossReports() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            _ = try await world.snapshot("snapshot.sqlite")
            let path = "\(directory)/snapshot.sqlite"
            let raw = try await ParityReplay(.init(snapshotPath: path, rules: .none)).run()
            let shipped = try await ParityReplay(.init(snapshotPath: path, rules: .shipped())).run()
            let rawNames = try Self.identifiers(raw)
            // Distinct members, distinct identifiers (members born the same day: the next test).
            #expect(Set(rawNames).count == rawNames.count && !rawNames.isEmpty)
            // One snapshot, two reports: a member keeps its tag.
            #expect(Set(try Self.identifiers(shipped)).isSubset(of: Set(rawNames)))
            #expect(raw.identifierCollisions == 0)
            #expect(raw.setting.memberTagOrigin.contains("derived from every kennitala"))
            // The tag is keyed: no kennitala shows, and another key gives other tags.
            let kennitalas = Set(try world.rows().values.map(\.normalisedSSN))
            #expect(!rawNames.contains { name in kennitalas.contains { name.contains($0) } })
            let other = try await ParityReplay(
                .init(
                    snapshotPath: path, rules: .none,
                    memberTag: MemberTag(key: Array("another key".utf8), origin: "test"))
            ).run()
            #expect(Set(try Self.identifiers(other)).isDisjoint(with: Set(rawNames)))
        }
    }

    /// Where it matters — members born the same day share a mask — all 10,000 serials of one birth date
    /// get distinct tags (the tag is a keyed permutation), under a snapshot's derived key and an
    /// operator's key alike; and another key tags them otherwise.
    @Test func everySerialOfOneBirthDateGetsItsOwnTag() {
        let keys = [
            MemberTag.derived(fromKennitalas: ["0101702389", "0203801234"], of: "a test register"),
            MemberTag(key: Array("operator's key".utf8), origin: "test"),
        ]
        var byKey: [[String]] = []
        for key in keys {
            let tags = (0..<10_000).map { key.tag("010170" + String(format: "%04d", $0)) }
            #expect(Set(tags).count == 10_000)
            #expect(tags.allSatisfy { $0.count == 3 && $0.allSatisfy { $0.isLowercase && $0.isASCII } })
            byKey.append(tags)
        }
        #expect(zip(byKey[0], byKey[1]).filter { $0 == $1 }.count < 100, "another key, other tags")
        // Not a kennitala: still tagged, by 8 hex digits of its HMAC.
        #expect(keys[1].tag("12345").count == 8)
        let masker = Masker()
        #expect(keys[1].display("010170-2389", masker: masker) == "010170-**** \(keys[1].tag("0101702389"))")
        #expect(keys[1].display("0101702389", masker: Masker(unmasked: true)) == "0101702389")
        #expect(MemberTag.fromEnvironment([MemberTag.environmentVariable: "shared"])?.key == Array("shared".utf8))
        #expect(MemberTag.fromEnvironment([:]) == nil)
    }
}
