import CutoverCore
import CutoverSupport
import LegacySync
import Testing

/// `drain.json` is written a row at a time: the pieces must make the one JSON document the whole tree
/// would have given, rows in id order and masked.
struct DrainReportTests {
    func streamed(_ report: DrainReport) throws -> String {
        var text = ""
        try report.writeJSON(masker: Masker()) { text += $0 }
        return text
    }

    @Test func theStreamedReportIsTheWholeTreesText() throws {
        let report = try DrainReport(via: .webhook, dryRun: false)
        let empty = try streamed(report)
        #expect(try JSONValue(parsing: empty)["rows"] == .array([]))
        #expect(empty == (try JSONValue(parsing: empty)).prettyText)

        try report.rows.append([
            DrainRowResult(rowID: 7, kennitala: "0101702389", action: .update, outcome: .applied, detail: "")
        ])
        try report.rows.append(
            [
                DrainRowResult(
                    rowID: 3, kennitala: "0103097930", action: .delete, outcome: .orphan,
                    detail: "delete of a document that never existed")
            ], carried: true)
        let text = try streamed(report)
        let parsed = try JSONValue(parsing: text)
        #expect(text == parsed.prettyText)
        guard case .array(let rows)? = parsed["rows"] else { Issue.record("no rows in \(text)"); return }
        #expect(rows.map { $0["row"] } == [.integer(3), .integer(7)])
        #expect(rows.map { $0["member"] } == [.string("010309-****"), .string("010170-****")])
        #expect(parsed["counts"]?["applied"] == .integer(1) && parsed["counts"]?["orphan"] == .integer(1))
        #expect(!text.contains("0101702389") && !text.contains("0103097930"))
    }
}
