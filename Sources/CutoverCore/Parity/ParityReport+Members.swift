import CutoverSupport
import DocumentParity
import LegacySync
import Reports

extension ParityReport {
    /// Every differing member once, in one table — the HTML page carries them all, sortable and
    /// filterable; Markdown the first `membersShown` — and below it, for those first ones, only what a
    /// table cell cannot hold: why the member differs and what each of its rows did on both paths. The
    /// verdict, the unaccepted fields and the causes are the table's alone, not said a second time.
    func membersSection() throws -> [ReportDocument.Section] {
        guard members.count > 0 else { return [.init("Differing members", [.paragraph("None.")])] }
        var rows: [[ReportText]] = []
        rows.reserveCapacity(members.count)
        try members.forEach { rows.append(Self.memberRow($0)) }
        let columns: [ReportTable.Column] = [
            .init("member"), .init("verdict"), .init("fails"), .init("unaccepted fields"), .init("causes"),
            .init("rows", numeric: true),
        ]
        let table = ReportTable(
            columns: columns, rows: rows, sortable: true, markdownRows: Self.membersShown,
            elsewhere: "parity.html (all, sortable) and parity.json")
        let items: [ReportDocument.ListItem] = members.shown.map { line in
            .init(
                "\(code: line.member): \(line.explanation).",
                details: [Self.events("Path A", line.pathA), Self.events("Path B", line.pathB)])
        }
        let shown = min(members.count, Self.membersShown)
        let rest: [ReportDocument.Block] =
            members.count > Self.membersShown
            ? [.paragraph("… \(members.count - Self.membersShown) more members' rows in parity.json.")] : []
        return [
            .init(
                "Differing members",
                [
                    .paragraph(
                        "\(members.count) differing members, \(failingMembers) failing the verdict. Each is named by "
                            + "its masked kennitala and a tag (the same member has the same tag in every report of "
                            + "this snapshot)."),
                    .table(table),
                ]),
            .init(
                "Their rows on both paths",
                [
                    .paragraph(
                        "Why each of the first \(shown) differs, and what each of its queue rows did on Path A and "
                            + "Path B. \(code: "cutover parity show --member KENNITALA") puts any member's two "
                            + "documents side by side."),
                    .list(items),
                ] + rest),
        ]
    }

    /// The member's tag and the key's origin, and any pair of members the identifiers could not tell apart.
    var memberTagFacts: [ReportDocument.Fact] {
        guard setting.masked else { return [] }
        var facts: [ReportDocument.Fact] = [
            .init(
                "member tags",
                "\(MemberTag.explanation(keyOrigin: setting.memberTagOrigin))")
        ]
        if identifierCollisions > 0 {
            facts.append(
                .init(
                    "identifiers",
                    "\(alert: "\(identifierCollisions) differing members share a masked identifier and tag"): "
                        + "rerun with \(code: "\(MemberTag.environmentVariable)=…") set to another key"))
        }
        return facts
    }

    /// One row of the members table, from the member's JSON line.
    static func memberRow(_ line: JSONValue) -> [ReportText] {
        func array(_ key: String) -> [JSONValue] {
            if case .array(let values)? = line[key] { values } else { [] }
        }
        func strings(_ key: String) -> [String] { array(key).compactMap(\.stringValue) }
        let fails = line["fails"] == .bool(true)
        return [
            .code(line["member"]?.stringValue ?? ""), .code(line["verdict"]?.stringValue ?? ""),
            fails ? .alert("yes") : "no",
            ReportText.joined(strings("unaccepted_paths").map(ReportText.code), separator: ", "),
            ReportText.joined(strings("causes").map(ReportText.code), separator: ", "), "\(array("rows").count)",
        ]
    }

    static func events(_ side: String, _ list: [ReplayEvent]) -> ReportText {
        let text = list.map { "row \($0.rowID) \($0.action.rawValue) \($0.outcome.rawValue) (\($0.detail))" }
        return "\(side): \(text.joined(separator: "; "))"
    }
}
