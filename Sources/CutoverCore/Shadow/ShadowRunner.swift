import CutoverSupport
import Firestore
import LegacySync

/// `cutover shadow run`: while the queue still fills, applies its new rows with Path A's semantics
/// (the nightly run's per-row pull) to a shadow store — never to `members` itself — and leaves the
/// queue rows as they are. A member's document is copied from the baseline store the first time a
/// row touches it, so Path A's patches land on what production held. Progress lives in the
/// delivery record, so reruns continue where the last one stopped; the first run only notes where
/// the queue stood.
public struct ShadowRunner {
    public struct Summary: Sendable {
        public var rows = 0
        public var written = 0
        public var withoutWrite = 0
        public var failed = 0
        public var invalid = 0
        public var lastRow: Int64 = 0
        /// Set on the first run: the rows at or below this id predate the dual-run and are left alone.
        public var startedAfter: Int64?
    }

    let database: any LegacyDatabase
    let table: QueueTableName
    let shadow: any DocumentStore
    let baseline: (any DocumentStore)?
    let recording: DeliveryRecording
    let clock: @Sendable () -> Timestamp

    public init(
        database: any LegacyDatabase, table: QueueTableName, shadow: any DocumentStore, baseline: (any DocumentStore)?,
        recording: DeliveryRecording, clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }
    ) {
        self.database = database
        self.table = table
        self.shadow = shadow
        self.baseline = baseline
        self.recording = recording
        self.clock = clock
    }

    /// Applies every row not yet applied; returns what happened. `progress` names the pass's one phase,
    /// `counted` counts its rows of those there were when it began (`~`: writers may add more meanwhile).
    public func runOnce(
        progress: (String) -> Void = { _ in }, counted: (ProgressCount) -> Void = { _ in }
    ) async throws -> Summary {
        let queue = try QueueTableWriter(database: database, table: table)
        // Said at the start of every pass, not only when a create first reads the register: a
        // quiet pass would otherwise hide that creates will be served without those parts. A missing
        // member table is left to the create that needs it.
        (try? RegisterSchema.inspect(database, schema: table.schema))?.warnOnce()
        var summary = Summary()
        if let last = try await recording.lastShadowRow() {
            summary.lastRow = last
        } else {
            // The first run starts the dual-run: rows already there are the old path's business.
            summary.lastRow = try queue.highWaterMark()
            try await recording.startShadowRun(after: summary.lastRow)
            summary.startedAfter = summary.lastRow
        }
        progress("applying the rows after row \(summary.lastRow) with Path A's semantics")
        // One indexed count: the rows a pass has to apply, known before the first is read.
        let waiting = try queue.countAbove(summary.lastRow)
        var seen = 0
        func count() { counted(ProgressCount(seen, of: waiting, estimated: true, unit: "rows")) }
        count()
        while true {
            let batch = try queue.rows(after: summary.lastRow)
            guard !batch.isEmpty else { break }
            for decoded in batch {
                seen += 1
                if seen % 100 == 0 { count() }
                switch decoded {
                case .failure(let problem):
                    summary.invalid += 1
                    if let id = problem.rowID {
                        try await recording.recordShadowRow(
                            .init(
                                rowID: id, kennitala: "", action: "", createdAt: clock(),
                                outcome: "invalid: \(problem.column) \(problem.problem)"))
                        summary.lastRow = max(summary.lastRow, id)
                    }
                case .success(let row):
                    let path = DocumentPath.member(row.normalisedSSN)
                    if let baseline, try await shadow.getDocument(path) == nil,
                        let original = try await baseline.getDocument(path)
                    {
                        _ = try await shadow.commit([.set(path, original.fields)])
                    }
                    // The member endpoint's answer, read now: what Django would have served at this moment.
                    let member =
                        row.action == .create
                        ? try RegisterLookup.load(
                            database: database, schema: table.schema, kennitalas: [row.normalisedSSN]
                        ).pathA[row.normalisedSSN]
                        : nil
                    let pull = PathAPull(store: shadow, clock: clock) { _ in member }
                    let outcome = await pull.apply(row)
                    let text: String
                    switch outcome {
                    case .written:
                        summary.written += 1
                        text = "written"
                    case .successWithoutWrite(let why):
                        summary.withoutWrite += 1
                        text = "no write: \(why)"
                    case .failed(let why):
                        summary.failed += 1
                        text = "failed: \(Masker().freeText(why))"
                    }
                    try await recording.recordShadowRow(
                        .init(
                            rowID: row.id, kennitala: row.normalisedSSN, action: row.action.rawValue,
                            createdAt: row.createdAt, outcome: text))
                    summary.rows += 1
                    summary.lastRow = row.id
                }
            }
        }
        count()
        return summary
    }
}
