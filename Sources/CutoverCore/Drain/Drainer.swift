import CutoverSupport
import Firestore
import Foundation
import LegacySync

/// `cutover drain`: finishes the legacy queue's work exactly once. Records a high-water mark and
/// touches only rows at or below it; per member, oldest first, each row gets one outcome (applied,
/// superseded, orphan, dead, invalid). A row is marked synced only after its target write
/// succeeded; every write is announced in the journal first, so a rerun after a crash resumes
/// without writing anything twice.
public struct Drainer {
    public struct Configuration: Sendable {
        public var table: QueueTableName
        public var via: DrainVia = .webhook
        public var includeFailed = false
        public var dryRun = false
        public var journalPath: String
        public var reverse: ReverseQueueMode = .apply
        /// Failed rows with at least this many retries are dead without another try.
        public var maxRetries = 10
        /// Tries per write before the row is given up for this run.
        public var attempts = 4
        public var backoffBase: Double = 0.2
        public var backoffCap: Double = 5
        /// Members per batch (one journal transaction, one commit, one queue update).
        public var batchSize = 200
        /// Member writes in flight when a batch commit has to be split.
        public var concurrency = 8
        /// After this many batches in a row where every write failed, the target is taken to be down.
        public var stopAfterFailedBatches = 2
        /// Batch commits in flight at once while the next batch is read and planned (`--via webhook`).
        public var commitsInFlight = 6
        /// The ceiling on `commitsInFlight`: the REST client's connections to one host.
        public static let mostCommitsInFlight = 64
        /// Batches whose current documents are read ahead of the next one's planning.
        public var readsAhead = 2
        /// Firestore's 500/50/5 ramp on the writes: `auto` applies it to Firestore itself, not to the
        /// emulator, a local server or an embedded store.
        public var ramp = DrainRamp.auto
        /// A ceiling on member writes a second, ramp or not (`--max-rate`).
        public var maxRate: Double?
        /// Where the run keeps its unresolved rows and its rows' outcomes on disk (private staging
        /// directories, removed at the end and on a signal): the command line's `--out`.
        public var scratchDirectory = NSTemporaryDirectory()
        /// Queue rows read back from the spool at a time. Any value gives the same outcomes (a member's
        /// rows are never split); tests make it tiny to prove that. A page of 10,000 held some 10 MB of
        /// row text (heaptrack, 20,000 unresolved rows): a thousand keeps it near one.
        public var spoolPageRows = 1_000
        /// A dry run's drill-down: only these members, or only the members with a row created in the window,
        /// each planned with all its rows (the newest decides the write, as in a real run); the plan lists
        /// the rows in the scope. Only a dry run may be restricted: a real drain of some members strands
        /// the rest.
        public var scope = ReplayScope.everything

        public init(table: QueueTableName, journalPath: String) {
            self.table = table
            self.journalPath = journalPath
        }
    }

    let configuration: Configuration
    let database: any LegacyDatabase
    /// The target; in a dry run, an overlay over it that keeps the run's writes in memory, so the rows
    /// are planned against the documents the run itself would leave (a portal edit's refresh, an earlier
    /// row's pull).
    let store: any DocumentStore
    let clock: @Sendable () -> Timestamp
    /// Holds the writes to the ramp and `--max-rate`, and measures their rate.
    let throttle: RateGate
    /// Where the run's time goes, for the log.
    let timings = DrainPipelineTimings()

    /// - Parameter pace: seconds on a monotonic clock, for the throttle (the default: the system's).
    public init(
        configuration: Configuration, database: any LegacyDatabase, store: any DocumentStore,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }, pace: (@Sendable () -> Double)? = nil
    ) {
        self.configuration = configuration
        self.database = database
        self.store = configuration.dryRun ? OverlayDocumentStore(over: store, clock: clock) : store
        self.clock = clock
        let limiter = RampedRateLimiter(
            ramp: configuration.ramp.applies(to: store) ? .firestore : nil, maxRate: configuration.maxRate)
        throttle = pace.map { RateGate(limiter, now: $0) } ?? RateGate(limiter)
    }

    public func run(progress: (Progress) -> Void = { _ in }) async throws -> DrainReport {
        let scope = configuration.scope
        guard configuration.dryRun || !scope.isRestricted else {
            throw CutoverError(
                .input, "a drain restricted to some members or rows would strand the rest: only --dry-run takes it")
        }
        // For the whole run: another drain (or a restore, retire or nightly run) on this queue is refused,
        // naming this one. A dry run writes nothing, so it neither takes nor waits for the lock.
        let lock =
            configuration.dryRun
            ? nil : try QueueRunLock.acquire("drain", table: configuration.table, on: database, started: clock())
        defer { lock?.release() }
        let queue = try QueueTableWriter(database: database, table: configuration.table)
        let started = clock()
        let journal = configuration.dryRun ? nil : try DrainJournal(path: configuration.journalPath)
        var report = try DrainReport(
            via: configuration.via, dryRun: configuration.dryRun,
            rows: DrainRowSpool(directory: configuration.scratchDirectory))
        report.scope = scope
        let drain: DrainJournal.Drain
        if let journal, let open = try journal.latest(), open.finishedAt == nil {
            drain = open
            report.resumed = true
            try await resume(drain, journal: journal, queue: queue, report: &report)
        } else {
            let mark = try queue.highWaterMark()
            drain =
                try journal?.begin(
                    mark: mark, via: configuration.via.rawValue, source: database.redactedTarget,
                    target: store.label, identity: try database.sourceIdentity(of: configuration.table), at: started)
                ?? DrainJournal.Drain(
                    id: 0, mark: mark, startedAt: started, finishedAt: nil, via: configuration.via.rawValue)
        }
        report.mark = drain.mark
        report.drainID = drain.id
        Log.drain.info(
            """
            drain \(drain.id): mark id \(drain.mark), via \
            \(configuration.via.rawValue)\(report.resumed ? ", resumed" : "")
            """
        )

        var stepStarted = DrainPipelineTimings.now()
        do {
            report.reverse = try await ReverseQueueDrain(
                store: store, writer: DjangoRegisterWriter(database: database, schema: configuration.table.schema),
                mode: configuration.reverse, dryRun: configuration.dryRun,
                commitsInFlight: configuration.commitsInFlight, backoff: backoff
            ).run { kennitalas in try refresh(kennitalas) }
        } catch let error as FirestoreError {
            // The queue's rows are the drain's main work: a target failing here is reported, and the
            // forward drain finds out for itself. Said as what the target did: no edit was written.
            report.reverse.mode = configuration.reverse
            report.reverse.dryRun = configuration.dryRun
            report.reverse.error = DrainTargetFault(error)?.sentence ?? Masker().freeText(error.description)
        }

        timings.startupStep("portal edits", since: stepStarted)
        stepStarted = DrainPipelineTimings.now()
        // Rows a crashed run of this drain resolved are skipped; dead and invalid ones are tried again.
        let known = try journal?.outcomes(drain).filter { $0.value.result.outcome.marksSynced } ?? [:]
        try report.rows.append(known.values.map(\.result).sorted { $0.rowID < $1.rowID }, carried: true)
        let pending = try spoolUnresolved(
            queue, drain: drain, known: Set(known.keys), journal: journal, report: &report)
        defer { pending.remove() }
        timings.startupStep("queue read", since: stepStarted)

        let tally = try await drainBatches(
            pending, drain: drain, journal: journal, queue: queue, report: &report, progress: progress)
        if let writing = timings.writing {
            // What "keeps pace with the ramp" is judged on: the writes while the drain was writing, against
            // what the throttle allowed over the same span (a full bucket to start with, then its rate).
            let allowed = throttle.allowance(within: writing.seconds)
            let rate = writing.seconds > 0 ? Double(writing.writes) / writing.seconds : 0
            let share = allowed.map {
                "; the throttle allowed \(Int($0)) in that time (\(Int(100 * Double(writing.writes) / $0))%)"
            }
            Log.drain.notice(
                """
                writes: \(writing.writes) in \(String(format: "%.2f", writing.seconds)) s from the first commit sent \
                to the last answered, \(Int(rate.rounded())) a second\(share ?? "")
                """,
                metadata: [
                    "writes": "\(writing.writes)", "writing_seconds": "\(String(format: "%.3f", writing.seconds))",
                    "allowed": "\(allowed.map { String(format: "%.1f", $0) } ?? "any")",
                ])
        } else if let span = throttle.judgedSpan {
            let allowed = span.allowed.map {
                "; the throttle allowed \(Int($0)) (\(Int(100 * Double(throttle.sent) / $0))%)"
            }
            Log.drain.notice(
                "writes: \(throttle.sent) in \(span.seconds) s from the first\(allowed ?? "")")
        }
        Log.drain.info("pipeline: \(timings.summary)")
        // A queue small enough for one batch never meets the rule above: a target that could not even
        // be read for any batch is down all the same, and the rerun is the remedy, not the dead letters.
        if report.stoppedEarly == nil && tally.batchesRun > 0 && tally.unreadableBatches == tally.batchesRun {
            report.stoppedEarly =
                "the target could not be read in any batch: \(report.targetFault ?? "it looks down"); "
                + "nothing was written to it"
        }
        report.rowsAboveMark = try queue.countAbove(drain.mark)
        if report.rowsAboveMark > 0 {
            Log.drain.warning("\(report.rowsAboveMark) rows were written above the mark while draining")
        }
        if report.stoppedEarly == nil, let journal {
            try journal.finish(drain, at: clock())
        } else {
            try journal?.flushLater()
        }
        return report
    }

    /// Members the portal's edits changed in Django: Django's save would have sent them on, so their
    /// documents are rewritten from the register now (the register holds the newest data); the reverse
    /// queue commits the write. (A dry run did not apply the edits, so its refresh writes the register as
    /// it was: only the document's times matter to the plan.)
    private func refresh(_ kennitalas: [String]) throws -> [String: FirestoreWrite] {
        let wanted = kennitalas.filter { !Kennitala.isPlaceholder($0) }
        guard !wanted.isEmpty else { return [:] }
        let register = try RegisterLookup.load(
            database: database, schema: configuration.table.schema, kennitalas: Set(wanted))
        let now = clock()
        var writes: [String: FirestoreWrite] = [:]
        for kennitala in wanted {
            guard let data = register.pathB[kennitala] else { continue }
            writes[kennitala] = .merge(
                .member(kennitala), PathBMemberDocument.fields(data: data, serverTime: now, functionClock: now),
                serverTime: [FieldPath(["metadata", "synced_at"])])
        }
        return writes
    }

    /// Settles what a crashed run left open: intents whose write landed (the update time moved) get
    /// their outcomes; the rest are planned again. Outcomes not yet marked in the queue are marked.
    private func resume(
        _ drain: DrainJournal.Drain, journal: DrainJournal, queue: QueueTableWriter,
        report: inout DrainReport
    ) async throws {
        for intent in try journal.openIntents(drain) {
            let document = try await store.getDocument(.member(intent.kennitala))
            let landed = document?.updateTime != intent.baseUpdateTime
            try journal.recordOutcomes(landed ? intent.outcomes : [], settling: [intent.kennitala], drain: drain)
            if landed { report.resumedWrites += 1 }
            Log.drain.notice(
                """
                an interrupted write for rows \(intent.rowIDs) \
                \(landed ? "had landed" : "had not landed: planned again")
                """
            )
        }
        let unmarked = try journal.outcomes(drain).values.filter { !$0.marked && $0.result.outcome.marksSynced }.map(
            \.result)
        try markSettled(unmarked, in: queue, mark: drain.mark)
        try journal.recordMarked(unmarked.map(\.rowID), drain: drain)
    }
}
