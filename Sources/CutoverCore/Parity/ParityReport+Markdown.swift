import CutoverSupport

extension ParityReport {
    /// How many differing members the Markdown and HTML pages list; the JSON lists them all.
    static let membersShown = 100

    /// The report for people, in Markdown.
    public var markdown: String {
        var lines: [String] = []
        func add(_ line: String = "") { lines.append(line) }
        add("# Parity replay: \(verdict.title)")
        add()
        add("Snapshot `\(setting.snapshotID)` (source read at \(setting.snapshotSourceReadAt), table `\(setting.queueTable)`), rules: \(setting.rulesOrigin).")
        add("Path A's next run replayed at \(setting.pathARunAt.iso8601) with `since` = \(setting.pathASince.iso8601); Path B at each row's time."
            + (setting.masked ? " Personal data is masked." : " **Personal data is not masked (--unmask).**"))
        add()
        add("## Counts")
        add()
        add("| members compared | identical | equivalent under the rules | accepted differences | different | only in A | only in B |")
        add("|---:|---:|---:|---:|---:|---:|---:|")
        add("| \(counts.membersCompared) | \(counts[.identical]) | \(counts[.equivalent]) | \(counts[.accepted]) | \(counts[.different]) | \(counts[.onlyInA]) | \(counts[.onlyInB]) |")
        add()
        add("\(counts.rowsReplayed) queue rows replayed for \(counts.membersReplayed) members; register \(counts.registerMembers) members, baseline \(counts.baselineDocuments) documents.")
        add()
        add("## Noise (A/A)")
        add()
        add("Path A run again \(Self.noiseOffsetSeconds(setting)) s later: \(noise.membersDiffering) of \(noise.membersCompared) members differ, in "
            + (noise.fields.isEmpty ? "no field." : noise.fields.keys.sorted().map { "`\($0)` (\(noise.fields[$0]!))" }.joined(separator: ", ") + "."))
        add(noise.notIgnored.isEmpty
            ? "The rules ignore every noise field."
            : "**Not ignored by the rules** (they show as differences): " + noise.notIgnored.map { "`\($0)`" }.joined(separator: ", "))
        add()
        add("## Known differences (LEGACY.md §6)")
        add()
        add("| | concern | evidence |")
        add("|---|---|---|")
        for finding in hazards { add("| \(finding.observed ? "found" : "not seen") | \(finding.concern) | \(finding.evidence) |") }
        add()
        add("## Differences by field")
        add()
        if fields.isEmpty { add("No field differs.") } else {
            add("| field | differences | accepted | kinds | type changes | causes | accepted by | example (member: A → B) |")
            add("|---|---:|---:|---|---|---|---|---|")
            for row in fields {
                let name = row.pathBName.map { "`\(row.path)` ≡ B `\($0)`" } ?? "`\(row.path)`"
                let kinds = row.kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
                let types = row.typeChanges.keys.sorted().map { "\($0) (\(row.typeChanges[$0]!))" }.joined(separator: ", ")
                let causes = row.causes.keys.sorted().map { "\($0.rawValue) \(row.causes[$0]!)" }.joined(separator: ", ")
                let example = row.examples.first.map { "\($0.member): \($0.a) → \($0.b)" } ?? ""
                add("| \(name) | \(row.differences) | \(row.accepted) | \(kinds) | \(types) | \(causes) | \(row.acceptedBy.map { $0.reason } ?? "") | \(Self.cell(example)) |")
            }
        }
        add()
        add("## Consumer impact")
        add()
        add("Fields Path A writes that Path B never writes (consumers reading them lose them, or read stale leftovers):")
        add()
        for field in writtenOnlyByA { add("- `\(field.path)`: written in \(field.documentsWritten) documents by Path A; \(field.carriedByOther) Path B results still carry it from the baseline") }
        if writtenOnlyByA.isEmpty { add("- none") }
        add()
        add("Fields Path B writes that Path A never writes:")
        add()
        for field in writtenOnlyByB { add("- `\(field.path)`: written in \(field.documentsWritten) documents by Path B") }
        if writtenOnlyByB.isEmpty { add("- none") }
        for field in typeChangedFields { add("- `\(field.path)` changes value kind: \(field.a.joined(separator: "/")) (A) → \(field.b.joined(separator: "/")) (B)") }
        add()
        add("## Differing members")
        add()
        if members.count == 0 { add("None.") }
        for line in members.shown {
            add("- **\(line.member)** \(line.verdict.rawValue) — rows \(line.rowIDs.map(String.init).joined(separator: ", ")); "
                + (line.unacceptedPaths.isEmpty ? "all accepted" : "not accepted: " + line.unacceptedPaths.map { "`\($0)`" }.joined(separator: ", "))
                + ". \(line.explanation).")
            add("  - Path A: " + line.pathA.map { "row \($0.rowID) \($0.action.rawValue) \($0.outcome.rawValue) (\($0.detail))" }.joined(separator: "; "))
            add("  - Path B: " + line.pathB.map { "row \($0.rowID) \($0.action.rawValue) \($0.outcome.rawValue) (\($0.detail))" }.joined(separator: "; "))
        }
        if members.count > Self.membersShown { add("- … \(members.count - Self.membersShown) more in parity.json") }
        if !problems.isEmpty {
            add()
            add("## Invalid queue rows (left out of the replay)")
            add()
            for problem in problems { add("- row \(problem.rowID.map(String.init) ?? "?"): \(problem.column) \(problem.problem)") }
        }
        add()
        add(ExitCode.footer(verdict.exitCode, of: Verdict.possibleExitCodes))
        return lines.joined(separator: "\n") + "\n"
    }

    static func noiseOffsetSeconds(_ setting: Setting) -> Int64 {
        (setting.noiseRunAt.microseconds - setting.pathARunAt.microseconds) / 1_000_000
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
