import CutoverSupport
import LegacySync
import Reports

extension VerifyReport {
    /// How many dead letters and reconciliation findings the Markdown and HTML pages list; verify.json
    /// holds every finding.
    static let deadLettersShown = 100
    static let findingsShown = 200

    /// Writes verify.json, verify.md and verify.html into `directory`, identifiers masked by `masker`.
    @discardableResult
    public func write(into directory: String, masker: Masker) throws -> ReportFiles.Paths {
        let json = json(masker: masker).prettyText
        return try ReportFiles.write(
            report: "verify", into: directory, json: { write in try write(json) },
            document: document(masker: masker))
    }

    /// The report for people: why it fails (if it does), the drain proof, the register against the
    /// documents.
    public func document(masker: Masker) -> ReportDocument {
        let opening: ReportDocument.Block =
            failures.isEmpty && missing.isEmpty
            ? .paragraph("The drain finished and every member's document is what Path B writes (under \(rulesOrigin)).")
            : .list(failures.map { .init(.alert($0)) })
        let badge: ReportDocument.Badge =
            passes
            ? .init("PASS", .pass)
            : missing.isEmpty || !failures.isEmpty ? .init("FAIL", .fail) : .init("INCONCLUSIVE", .neutral)
        return ReportDocument(
            title: "Verify", badge: badge,
            opening: [opening]
                + (missing.isEmpty ? [] : [.list(missing.map { .init("\(strong: "Inconclusive:") \($0)") })]) + [
                    .facts(
                        [
                            .init("source", "\(code: source)"), .init("target", "\(code: target)"),
                            .init("checked", "\(code: startedAt.iso8601) to \(code: finishedAt.iso8601)"),
                            .init("rules", "\(rulesOrigin)"),
                        ]
                            + (scopeDescription(masker: masker).map {
                                [.init("restricted to", "\(alert: $0) — a drill-down: no gate accepts this report")]
                            } ?? [])
                            + (masker.unmasked
                                ? []
                                : [.init("member tags", "\(memberTag.explanation)")]))
                ],
            sections: [proofSection(masker), reconciliationSection(masker)],
            footer: "\(ExitCode.footer(exitCode, of: [.success, .verifyFailed, .inconclusive]))")
    }

    private func proofSection(_ masker: Masker) -> ReportDocument.Section {
        let classified = DrainOutcome.allCases.map { "\($0.rawValue) \(proof.classified[$0] ?? 0)" }.joined(
            separator: ", ")
        var blocks: [ReportDocument.Block] = [
            .paragraph(
                "Drain \(proof.drainID.map(String.init) ?? "—"), mark id \(proof.mark.map(String.init) ?? "—"), "
                    + (proof.drainFinished ? "finished." : "not finished.")),
            .table(
                .counts([
                    ("unresolved", proof.unresolved.count), ("dead or invalid", proof.deadLetters.count),
                    ("above the mark", proof.rowsAboveMark),
                ])),
            .paragraph(
                "Classified by the drain: \(classified)."
            ),
        ]
        // The queue's own statuses at or below the mark, as verify.json has them.
        if !proof.statusCounts.isEmpty {
            let statuses = proof.statusCounts.keys.sorted().map { "\($0) \(proof.statusCounts[$0]!)" }
            blocks.append(.paragraph("Queue rows at or below the mark by status: \(statuses.joined(separator: ", "))."))
        }
        if !proof.deadLetters.isEmpty {
            blocks.append(
                .list(
                    proof.deadLetters.prefix(Self.deadLettersShown).map { letter in
                        .init(
                            "row \(letter.rowID) \(code: member(letter.kennitala, masker)): "
                                + "\(letter.outcome.rawValue) — "
                                + "\(masker.freeText(letter.detail))")
                    }))
        }
        if proof.deadLetters.count > Self.deadLettersShown {
            blocks.append(.paragraph("… \(proof.deadLetters.count - Self.deadLettersShown) more in verify.json."))
        }
        return .init("Drain proof", blocks)
    }

    private func reconciliationSection(_ masker: Masker) -> ReportDocument.Section {
        var blocks: [ReportDocument.Block] = [
            .table(
                .counts([
                    ("members", reconciliation.members), ("documents", reconciliation.documents),
                    ("matching", reconciliation.matching), ("missing", reconciliation.counts[.missing] ?? 0),
                    ("different", reconciliation.counts[.different] ?? 0),
                    ("extra", reconciliation.counts[.extra] ?? 0),
                    ("9999 skipped", reconciliation.placeholders),
                    ("inactive, member gone", reconciliation.inactiveWithoutMember),
                ]))
        ]
        // Fields fed by a register table that is absent were not compared: say which, and why.
        if !reconciliation.unchecked.isEmpty {
            blocks.append(.list(reconciliation.unchecked.map { .init("not checked: \($0.message)") }))
        }
        if !reconciliation.findings.isEmpty {
            blocks.append(
                .list(
                    reconciliation.findings.prefix(Self.findingsShown).map { finding in
                        let paths = ReportText.joined(finding.paths.map(ReportText.code), separator: ", ")
                        return .init(
                            "\(finding.kind.rawValue) \(code: member(finding.kennitala, masker))"
                                + (finding.paths.isEmpty ? "" : ": \(paths)"))
                    }))
        }
        if reconciliation.findings.count > Self.findingsShown {
            blocks.append(.paragraph("… \(reconciliation.findings.count - Self.findingsShown) more in verify.json."))
        }
        return .init("Register against documents", blocks)
    }
}
