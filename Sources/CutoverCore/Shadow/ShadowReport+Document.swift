import CutoverSupport
import LegacySync
import Reports

extension ShadowReport {
    /// Writes shadow.json, shadow.md and shadow.html into `directory`, identifiers masked by `masker`.
    @discardableResult
    public func write(into directory: String, masker: Masker) throws -> ReportFiles.Paths {
        let json = json(masker: masker).prettyText
        return try ReportFiles.write(
            report: "shadow", into: directory, json: { write in try write(json) },
            document: document(masker: masker))
    }

    /// The report for people: the window, coverage counts and every finding but the matches, then
    /// the members whose documents differ beyond the rules.
    public func document(masker: Masker) -> ReportDocument {
        let counts = counts
        let coverage = ReportTable(
            columns: CoverageFinding.Kind.allCases.map { .init($0.rawValue, numeric: true) },
            rows: [
                CoverageFinding.Kind.allCases.map { kind in
                    let count = counts[kind] ?? 0
                    return kind.isGap && count > 0 ? .alert("\(count)") : "\(count)"
                }
            ])
        let findingRows: [[ReportText]] = findings.filter { $0.kind != .matched }.map { finding in
            [
                finding.kind.isGap ? .alert(finding.kind.rawValue) : "\(finding.kind.rawValue)",
                "\(masker.kennitala(finding.kennitala))", "\(finding.action)",
                "\(finding.rowID.map(String.init) ?? "")",
                "\(finding.deliveryID.map(String.init) ?? "")", "\(masker.freeText(finding.detail))",
            ]
        }
        var coverageBlocks: [ReportDocument.Block] = [.table(coverage)]
        if !findingRows.isEmpty {
            coverageBlocks.append(
                .table(
                    ReportTable(
                        columns: [
                            .init("kind"), .init("member"), .init("action"), .init("row", numeric: true),
                            .init("delivery", numeric: true), .init("detail"),
                        ],
                        rows: findingRows)))
        }
        var contentBlocks: [ReportDocument.Block] = [
            .paragraph(
                "\(comparisons.count) members compared, \(contentDifferences.count) differ beyond the rules, "
                    + "\(unsettledMembers) still in flight.")
        ]
        if !contentDifferences.isEmpty {
            contentBlocks.append(
                .table(
                    ReportTable(
                        columns: [.init("member"), .init("verdict"), .init("fields")],
                        rows: contentDifferences.map { comparison in
                            [
                                "\(masker.kennitala(comparison.kennitala))", "\(comparison.verdict.rawValue)",
                                ReportText.joined(
                                    comparison.differences.filter { !$0.isAccepted }.map { .code($0.path) },
                                    separator: ", "),
                            ]
                        })))
        }
        return ReportDocument(
            title: "Dual-run comparison",
            badge: passes
                ? .init("PASS", .pass) : missing.isEmpty ? .init("FAIL", .fail) : .init("INCONCLUSIVE", .neutral),
            opening: missing.map { .paragraph("\(strong: "Inconclusive:") \($0)") } + [
                .paragraph(
                    "Window \(since.iso8601) – \(until.iso8601), settling \(settleSeconds) s; rules: \(rulesOrigin).")
            ],
            sections: [.init("Coverage", coverageBlocks), .init("Content", contentBlocks)],
            footer: "\(ExitCode.footer(exitCode, of: [.success, .failed, .inconclusive]))")
    }
}
