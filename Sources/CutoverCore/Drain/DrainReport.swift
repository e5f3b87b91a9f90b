import CutoverSupport
import Firestore
import LegacySync

/// What a drain did: the mark, counts per outcome, every row's outcome, the reverse queue, and the
/// rows that arrived above the mark while it ran. Rendered as text (the command's summary), JSON,
/// Markdown and HTML (`DrainReport+Document`); dead and invalid rows also go to a dead-letter file
/// with the command that replays them. The rows' outcomes are kept in a `DrainRowSpool` (on disk for
/// a drain) and streamed into the files: copies of a report share it.
public struct DrainReport: Sendable {
    public var via: DrainVia
    public var dryRun: Bool
    public var drainID: Int64 = 0
    public var mark: Int64 = 0
    public var resumed = false
    /// Writes a crashed run made that the rerun found had landed.
    public var resumedWrites = 0
    /// Every row's outcome, this run's and those carried over.
    public let rows: DrainRowSpool
    public var reverse = ReverseQueueReport()
    public var rowsAboveMark = 0
    public var stoppedEarly: String?
    /// Rows the drain could not settle because the target failed — unreachable, or answering with
    /// something that is not Firestore's JSON — rather than the row: still pending in the queue, for a rerun.
    public var leftPending = 0
    /// What the target did, the last time it failed that way (`DrainTargetFault.sentence`).
    public var targetFault: String?
    /// A dry run's drill-down (`Drainer.Configuration.scope`): the plan lists only its rows.
    public var scope = ReplayScope.everything

    /// - Parameter rows: where the rows' outcomes go; by default in memory (a report made by hand).
    public init(via: DrainVia, dryRun: Bool, rows: DrainRowSpool? = nil) throws {
        self.via = via
        self.dryRun = dryRun
        self.rows = try rows ?? DrainRowSpool(directory: nil)
    }

    /// A drill-down's rows (`Drainer.drillDown`): only they are listed; nil lists every row.
    var rowsInScope: Set<Int64>?
    func add(_ more: [DrainRowResult]) throws {
        try rows.append(rowsInScope.map { scoped in more.filter { scoped.contains($0.rowID) } } ?? more)
    }

    /// This run's outcomes, in the order the drain settled them (read back from the spool: for tests
    /// and small reports).
    public var results: [DrainRowResult] { get throws { try rows.inOrderAdded(carried: false) } }

    /// Outcomes an earlier (crashed) run of the same drain recorded.
    public var carriedOver: [DrainRowResult] { get throws { try rows.inOrderAdded(carried: true) } }

    /// Outcome → rows, this run and the carried-over ones together.
    public var counts: [DrainOutcome: Int] { rows.counts() }

    static let deadLetterOutcomes: [DrainOutcome] = [.dead, .invalid]

    /// Rows left dead or invalid.
    public var deadLetterCount: Int {
        let counts = counts
        return Self.deadLetterOutcomes.reduce(0) { $0 + (counts[$1] ?? 0) }
    }

    /// The dead and invalid rows in row order (all of them: for tests and small reports).
    public var deadLetters: [DrainRowResult] {
        get throws {
            var letters: [DrainRowResult] = []
            try rows.forEach(outcomes: Self.deadLetterOutcomes) { letters.append($0) }
            return letters
        }
    }

    /// 0: every row applied, superseded or orphan; 20: dead letters left (rows, or portal edits that are
    /// invalid); 21: the target failed — stopped, rows left pending, or the portal edits could not be read
    /// or marked — and a rerun is the remedy (rows the target never saw keep the queue's state they had).
    public var exitCode: Int32 {
        if stoppedEarly != nil || leftPending > 0 || reverse.error != nil { return ExitCode.drainStopped.code }
        return deadLetterCount == 0 && reverse.invalid.isEmpty ? ExitCode.success.code : ExitCode.deadLetters.code
    }

    static let rowsPlaceholder = "@@cutover-rows@@"

    /// Writes the report as JSON a piece at a time, one row at a time: a drain of a million rows never
    /// holds their JSON tree at once. The same bytes as the whole tree's `prettyText`.
    public func writeJSON(masker: Masker, _ write: (String) throws -> Void) throws {
        try summaryJSON(masker: masker).writePrettyText(
            replacing: Self.rowsPlaceholder,
            withArray: { element in
                try rows.forEach { row in
                    try element([
                        "row": .integer(row.rowID), "member": .string(masker.kennitala(row.kennitala)),
                        "action": .string(row.actionText),
                        "outcome": .string(row.outcome.rawValue), "detail": .string(masker.freeText(row.detail)),
                    ])
                }
            }, to: write)
    }

    /// Everything but the rows, which `writeJSON` streams in place of the placeholder.
    private func summaryJSON(masker: Masker) -> JSONValue {
        func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
        let counts = counts
        return [
            "drain_id": .integer(drainID), "mark": .integer(mark), "via": .string(via.rawValue),
            "dry_run": .bool(dryRun),
            "scope": scope.isRestricted ? .string(scope.description(naming: { masker.kennitala($0) })) : .null,
            "resumed": .bool(resumed), "resumed_writes": int(resumedWrites),
            "counts": .object(
                Dictionary(uniqueKeysWithValues: DrainOutcome.allCases.map { ($0.rawValue, int(counts[$0] ?? 0)) })),
            "rows_above_mark": int(rowsAboveMark),
            "stopped_early": stoppedEarly.map(JSONValue.string) ?? .null,
            "left_pending": int(leftPending),
            "target_fault": targetFault.map(JSONValue.string) ?? .null,
            "exit_code": .integer(Int64(exitCode)),
            "rows": .string(Self.rowsPlaceholder),
            "reverse_queue": reverse.json(masker: masker),
        ]
    }

    /// The dead-letter file: one JSON object per line, then the command that replays the rows.
    public func deadLetterText(masker: Masker, replayCommand: String) throws -> String {
        var lines: [String] = []
        try rows.forEach(outcomes: Self.deadLetterOutcomes) { row in
            let entry: JSONValue = [
                "row": .integer(row.rowID), "member": .string(masker.kennitala(row.kennitala)),
                "action": .string(row.actionText), "outcome": .string(row.outcome.rawValue),
                "detail": .string(masker.freeText(row.detail)),
            ]
            lines.append(entry.canonicalText)
        }
        lines += reverse.invalid.map { entry in
            JSONValue.object([
                CollectionName.syncQueue.rawValue: .string(entry.document), "outcome": "invalid",
                "detail": .string(entry.problem),
            ]).canonicalText
        }
        lines.append("# replay, once the causes are fixed (dead rows are left failed; invalid rows need fixing first):")
        lines.append("# \(replayCommand)")
        return lines.joined(separator: "\n") + "\n"
    }

    public func text(masker: Masker) throws -> String {
        let counts = counts
        let heading: String =
            (dryRun ? "drain (dry run, nothing written): " : "drain: ") + "mark id \(mark), via \(via.rawValue)"
        let resumption: String = resumed ? ", resumed (\(resumedWrites) interrupted writes had landed)" : ""
        let tally: String = DrainOutcome.allCases.map { outcome -> String in
            "\(outcome.rawValue) \(counts[outcome] ?? 0)"
        }
        .joined(separator: ", ")
        var lines: [String] = [heading + resumption]
        if scope.isRestricted {
            let named = scope.description(naming: { masker.kennitala($0) })
            lines.append(
                "  restricted to: \(named) (a drill-down: the plan lists only these rows; their members are "
                    + "planned with all their rows, as a real drain would)")
        }
        lines += [
            "  " + tally,
            "  rows written above the mark while draining: \(rowsAboveMark)"
                + (rowsAboveMark > 0 ? " (writers still running?)" : ""),
            "  reverse queue (portal edits): " + reverse.summary,
        ]
        if leftPending > 0 {
            lines.append(
                "  left pending, for a rerun: \(leftPending) rows, not dead letters — "
                    + "\(targetFault ?? "the target failed")"
            )
        }
        if let stoppedEarly { lines.append("  STOPPED: \(stoppedEarly)") }
        if dryRun {
            lines.append("  plan, row by row:")
            try rows.forEach(carried: false) { result in
                lines.append(
                    "    row \(result.rowID) \(result.actionText) \(masker.kennitala(result.kennitala)): "
                        + "\(result.outcome.rawValue) — \(masker.freeText(result.detail))"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
