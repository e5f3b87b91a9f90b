import CutoverSupport
import Reports

extension ParityReport {
    /// How many differing members the Markdown page's table lists, and both pages list with their rows'
    /// events (the HTML page's table holds them all; the JSON every one's lineage).
    public static let membersShown = 100

    /// Writes parity.json (streamed: the members' lineage comes from its file a member at a time),
    /// parity.md and parity.html into `directory`. Identifiers were masked, or not, by the replay.
    @discardableResult
    public func write(into directory: String) throws -> ReportFiles.Paths {
        try ReportFiles.write(report: "parity", into: directory, json: writeJSON, document: try document())
    }

    /// The report for people: verdict, what a FAIL asks to decide, counts, differences by field (a chart
    /// and a table), noise, the known differences with their evidence, consumer impact, and the differing
    /// members (every one, read back from their file).
    public func document() throws -> ReportDocument {
        let tone: ReportDocument.Badge.Tone =
            switch verdict {
            case .pass: .pass
            case .accepted: .accepted
            case .fail: .fail
            case .inconclusive: .neutral
            }
        let whatIsMissing: [ReportDocument.Block] =
            missing.isEmpty
            ? []
            : [
                .paragraph("\(strong: "Inconclusive — what is missing:")"),
                .list(missing.map { .init("\(alert: $0)") }),
            ]
        return ReportDocument(
            title: "Parity replay", badge: .init(verdict.title, tone),
            opening: whatIsMissing + [.facts(settingFacts)],
            sections: decisionsSections + [countsSection, noiseSection, hazardsSection, fieldsSection, impactSection]
                + (try membersSection()) + (problems.isEmpty ? [] : [problemsSection]),
            footer: "\(ExitCode.footer(verdict.exitCode, of: Verdict.possibleExitCodes))")
    }

    private var settingFacts: [ReportDocument.Fact] {
        let restriction: [ReportDocument.Fact] =
            setting.scope.map { [.init("restricted to", "\(alert: $0) — a drill-down: no gate accepts this report")] }
            ?? []
        return [
            .init("snapshot", "\(code: setting.snapshotID), source read at \(code: setting.snapshotSourceReadAt)")
        ] + restriction + [
            .init("queue table", "\(code: setting.queueTable)"),
            .init("rules", "\(setting.rulesOrigin)"),
            .init(
                "Path A",
                "its next run replayed at \(code: setting.pathARunAt.iso8601) "
                    + "with \(code: "since") = \(code: setting.pathASince.iso8601)"
            ),
            .init("Path B", "at each row's time"),
            .init("personal data", setting.masked ? "masked" : "\(alert: "not masked (--unmask)")"),
        ] + memberTagFacts
    }

    private var countsSection: ReportDocument.Section {
        .init(
            "Counts",
            [
                .table(
                    .counts([
                        ("members compared", counts.membersCompared), ("identical", counts[.identical]),
                        ("equivalent under the rules", counts[.equivalent]),
                        ("accepted differences", counts[.accepted]),
                        ("different", counts[.different]), ("only in A", counts[.onlyInA]),
                        ("only in B", counts[.onlyInB]),
                    ])),
                .paragraph(
                    "\(counts.rowsReplayed) queue rows replayed for \(counts.membersReplayed) members; "
                        + "register \(counts.registerMembers) members, baseline \(counts.baselineDocuments) "
                        + "documents."),
            ])
    }

    private var fieldsSection: ReportDocument.Section {
        guard !fields.isEmpty else { return .init("Differences by field", [.paragraph("No field differs.")]) }
        let chart = ReportBarChart(
            caption: "differences by field", series: [.init("accepted", .accepted), .init("not accepted", .fail)],
            bars: fields.map { .init($0.path, [$0.accepted, $0.differences - $0.accepted]) })
        let rows: [[ReportText]] = fields.map { row in
            let name: ReportText = "\(code: row.path)" + (row.pathBName.map { " ≡ B \(code: $0)" } ?? "")
            let kinds = row.kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
            let types = row.typeChanges.keys.sorted().map { "\($0) (\(row.typeChanges[$0]!))" }
            let causes = row.causes.keys.sorted().map { "\($0.rawValue) \(row.causes[$0]!)" }
            let example = row.examples.first.map { "\($0.member): \($0.a) → \($0.b)" } ?? ""
            return [
                name, "\(row.differences)", "\(row.accepted)", "\(kinds.joined(separator: ", "))",
                "\(types.joined(separator: ", "))", "\(causes.joined(separator: ", "))",
                "\(row.acceptedBy?.reason ?? "")", "\(example)",
            ]
        }
        let columns: [ReportTable.Column] = [
            .init("field"), .init("differences", numeric: true), .init("accepted", numeric: true), .init("kinds"),
            .init("type changes"), .init("causes"), .init("accepted by"), .init("example (member: A → B)"),
        ]
        return .init("Differences by field", [.chart(chart), .table(ReportTable(columns: columns, rows: rows))])
    }

    private var noiseSection: ReportDocument.Section {
        let fieldList = ReportText.joined(
            noise.fields.keys.sorted().map { "\(code: $0) (\(noise.fields[$0]!))" }, separator: ", ")
        let notIgnored = ReportText.joined(noise.notIgnored.map(ReportText.code), separator: ", ")
        return .init(
            "Noise (A/A)",
            [
                .paragraph(
                    "Path A run again \(Self.noiseOffsetSeconds(setting)) s later: \(noise.membersDiffering) of "
                        + "\(noise.membersCompared) members differ, in "
                        + (noise.fields.isEmpty ? "no field." : "\(fieldList).")),
                .paragraph(
                    noise.notIgnored.isEmpty
                        ? "The rules ignore every noise field."
                        : "\(strong: "Not ignored by the rules") (they show as differences): \(notIgnored)"),
            ])
    }

    private var hazardsSection: ReportDocument.Section {
        let rows: [[ReportText]] = hazards.map { finding in
            [finding.observed ? .alert("found") : "not seen", "\(finding.concern)", "\(finding.evidence)"]
        }
        return .init(
            "Known differences (LEGACY.md §6)",
            [
                .table(ReportTable(columns: [.init(""), .init("concern"), .init("evidence")], rows: rows))
            ])
    }

    private var impactSection: ReportDocument.Section {
        func list(_ items: [ReportText]) -> ReportDocument.Block {
            .list((items.isEmpty ? ["none"] : items).map { .init($0) })
        }
        return .init(
            "Consumer impact",
            [
                .paragraph(
                    "Fields Path A writes that Path B never writes "
                        + "(consumers reading them lose them, or read stale leftovers):"),
                list(
                    writtenOnlyByA.map { field in
                        "\(code: field.path): written in \(field.documentsWritten) documents by Path A; "
                            + "\(field.carriedByOther) Path B results still carry it from the baseline"
                    }),
                .paragraph("Fields Path B writes that Path A never writes:"),
                list(writtenOnlyByB.map { "\(code: $0.path): written in \($0.documentsWritten) documents by Path B" }),
                .paragraph("Fields both paths write, with different value kinds:"),
                list(
                    typeChangedFields.map { field in
                        "\(code: field.path) changes value kind: "
                            + "\(field.a.joined(separator: "/")) (A) → \(field.b.joined(separator: "/")) (B)"
                    }),
            ])
    }

    private var problemsSection: ReportDocument.Section {
        .init(
            "Invalid queue rows (left out of the replay)",
            [
                .list(problems.map { .init("row \($0.rowID.map(String.init) ?? "?"): \($0.column) \($0.problem)") })
            ])
    }

    static func noiseOffsetSeconds(_ setting: Setting) -> Int64 {
        (setting.noiseRunAt.microseconds - setting.pathARunAt.microseconds) / 1_000_000
    }
}
