import CutoverSupport
import LegacySync
import Reports

extension DrainReport {
    /// How many dead letters the Markdown and HTML pages list; drain.json has every row, the
    /// dead-letter file every dead letter.
    static let deadLettersShown = 100

    /// Writes drain.json (streamed a row at a time: a million rows are never one JSON tree), drain.md
    /// and drain.html into `directory`; with `deadLetterReplay` (the command line that replays them)
    /// also dead-letters.ndjson when rows were left dead or invalid. Identifiers masked by `masker`.
    @discardableResult
    public func write(
        into directory: String, masker: Masker, deadLetterReplay: String? = nil
    ) throws
        -> ReportFiles.Paths
    {
        let paths = try ReportFiles.write(
            report: "drain", into: directory, json: { write in try writeJSON(masker: masker, write) },
            document: try document(masker: masker))
        if let deadLetterReplay, deadLetterCount > 0 || !reverse.invalid.isEmpty {
            try ReportFiles.write(
                [("dead-letters.ndjson", try deadLetterText(masker: masker, replayCommand: deadLetterReplay))],
                into: directory)
        }
        return paths
    }

    /// The report for people: the mark, the outcome counts, the reverse queue, and the first dead
    /// letters. Not every row: drain.json holds them.
    public func document(masker: Masker) throws -> ReportDocument {
        let counts = counts
        let deadLetterCount = deadLetterCount
        var deadLetters: [DrainRowResult] = []
        try rows.forEach(outcomes: Self.deadLetterOutcomes, limit: Self.deadLettersShown) { deadLetters.append($0) }
        let badge: ReportDocument.Badge =
            stoppedEarly != nil
            ? .init("STOPPED", .fail)
            : exitCode != 0
                ? .init("ROWS LEFT", .fail)
                : dryRun ? .init("PLANNED", .neutral) : .init("DRAINED", .pass)
        var facts: [ReportDocument.Fact] = [
            .init("drain", "\(drainID)" + (dryRun ? " (dry run, nothing written)" : "")),
            .init("mark id", "\(mark)"),
            .init("via", "\(via.rawValue)"),
            .init("resumed", resumed ? "yes (\(resumedWrites) interrupted writes had landed)" : "no"),
            .init(
                "rows written above the mark",
                rowsAboveMark > 0 ? .alert("\(rowsAboveMark) (writers still running?)") : "0"),
            .init("reverse queue (portal edits)", "\(reverse.summary)"),
        ]
        if leftPending > 0 {
            facts.append(
                .init(
                    "left pending, for a rerun", .alert("\(leftPending) rows — \(targetFault ?? "the target failed")")))
        }
        if let stoppedEarly { facts.append(.init("stopped", .alert(stoppedEarly))) }
        var sections: [ReportDocument.Section] = [
            .init("Outcomes", [.table(.counts(DrainOutcome.allCases.map { ($0.rawValue, counts[$0] ?? 0) }))])
        ]
        if deadLetterCount > 0 || !reverse.invalid.isEmpty {
            var items: [ReportDocument.ListItem] = deadLetters.map { row in
                .init(
                    "row \(row.rowID) \(row.actionText) \(masker.kennitala(row.kennitala)): \(row.outcome.rawValue) — "
                        + "\(masker.freeText(row.detail))")
            }
            items += reverse.invalid.prefix(Self.deadLettersShown).map {
                .init("portal edit \(code: $0.document): invalid — \($0.problem)")
            }
            var blocks: [ReportDocument.Block] = [.list(items)]
            if deadLetterCount > Self.deadLettersShown {
                blocks.append(
                    .paragraph(
                        "… \(deadLetterCount - Self.deadLettersShown) more in drain.json and dead-letters.ndjson."))
            }
            sections.append(.init("Dead letters", blocks))
        }
        let footer = ExitCode.footer(
            exitCode, of: [.success, .deadLetters, .drainStopped], success: "every row applied, superseded or orphan")
        return ReportDocument(
            title: "Drain", badge: badge, opening: [.facts(facts)], sections: sections, footer: "\(footer)")
    }
}
