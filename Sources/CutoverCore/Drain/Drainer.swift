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

    public init(
        configuration: Configuration, database: any LegacyDatabase, store: any DocumentStore,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }
    ) {
        self.configuration = configuration
        self.database = database
        self.store = configuration.dryRun ? OverlayDocumentStore(over: store, clock: clock) : store
        self.clock = clock
    }

    public func run(progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) async throws -> DrainReport {
        // For the whole run: another drain (or a restore, retire or nightly run) on this queue is refused,
        // naming this one. A dry run writes nothing, so it neither takes nor waits for the lock.
        let lock =
            configuration.dryRun
            ? nil : try QueueRunLock.acquire("drain", table: configuration.table, on: database, started: clock())
        defer { lock?.release() }
        let queue = try QueueTableWriter(database: database, table: configuration.table)
        let started = clock()
        let journal = configuration.dryRun ? nil : try DrainJournal(path: configuration.journalPath)
        var report = DrainReport(via: configuration.via, dryRun: configuration.dryRun)
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

        do {
            report.reverse = try await ReverseQueueDrain(
                store: store, writer: DjangoRegisterWriter(database: database, schema: configuration.table.schema),
                mode: configuration.reverse, dryRun: configuration.dryRun
            ).run { kennitala in try await refresh(kennitala) }
        } catch let error as FirestoreError {
            // The queue's rows are the drain's main work: a target failing here is reported, and the
            // forward drain finds out for itself. Said as what the target did: no edit was written.
            report.reverse.mode = configuration.reverse
            report.reverse.dryRun = configuration.dryRun
            report.reverse.error = DrainTargetFault(error)?.sentence ?? Masker().freeText(error.description)
        }

        // Rows a crashed run of this drain resolved are skipped; dead and invalid ones are tried again.
        let known = try journal?.outcomes(drain).filter { $0.value.result.outcome.marksSynced } ?? [:]
        var members: [(kennitala: String, rows: [QueueRow])] = []
        var invalid: [DrainRowResult] = []
        try queue.unresolvedRows(upTo: drain.mark, includeFailed: configuration.includeFailed) { decoded, kennitala in
            switch decoded {
            case .failure(let problem):
                guard let id = problem.rowID, known[id] == nil else { return }
                invalid.append(
                    DrainRowResult(
                        rowID: id, kennitala: kennitala, action: nil, outcome: .invalid,
                        detail: "\(problem.column) \(problem.problem)"))
            case .success(let row):
                guard known[row.id] == nil else { return }
                if !Kennitala.isWellFormed(row.ssn) {
                    invalid.append(
                        DrainRowResult(
                            rowID: row.id, kennitala: kennitala, action: row.action, outcome: .invalid,
                            detail: "ssn is not ten digits"))
                } else if members.last?.kennitala == kennitala {
                    members[members.count - 1].rows.append(row)
                } else {
                    members.append((kennitala, [row]))
                }
            }
        }
        // Oldest first by the instant each row denotes: the SQL orders SQLite's text, where a value with
        // an offset or without a zone sorts apart from its instant, and the newest row decides the write.
        for index in members.indices {
            members[index].rows.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
        try journal?.recordOutcomes(invalid, settling: [], drain: drain)
        report.add(invalid)
        report.carriedOver = known.values.map(\.result).sorted { $0.rowID < $1.rowID }
        let total = members.reduce(0) { $0 + $1.rows.count }
        let register = try RegisterStage(
            database: database, schema: configuration.table.schema,
            kennitalas: Set(members.map(\.kennitala)), withPathA: configuration.via == .queue)

        var done = 0
        var failedBatchesInARow = 0
        var batchesRun = 0
        var unreadableBatches = 0
        var start = 0
        while start < members.count {
            let batch = Array(members[start..<min(start + configuration.batchSize, members.count)])
            start += batch.count
            let outcome = try await drainBatch(
                batch, register: register.lookup(batch.map(\.kennitala)), drain: drain,
                journal: journal, queue: queue)
            report.add(outcome.results)
            report.leftPending += outcome.leftPending
            if let fault = outcome.fault { report.targetFault = fault.sentence }
            done += batch.reduce(0) { $0 + $1.rows.count }
            progress(done, total)
            Log.drain.debug("batch of \(batch.count) members: \(outcome.results.count) rows settled")
            if let error = outcome.lastError { Log.drain.warning("writes failed in this batch: \(error)") }
            failedBatchesInARow = outcome.everyWriteFailed ? failedBatchesInARow + 1 : 0
            batchesRun += 1
            if outcome.targetUnreadable { unreadableBatches += 1 }
            if failedBatchesInARow >= configuration.stopAfterFailedBatches && start < members.count {
                report.stoppedEarly =
                    "every write of \(failedBatchesInARow) batches in a row failed: the target looks down "
                    + "(\(outcome.fault?.sentence ?? outcome.lastError ?? "no answer")); \(members.count - start) "
                    + "members not tried"
                // Rows never tried stay pending, as they were: a rerun drains them.
                report.leftPending += members[start...].reduce(0) { $0 + $1.rows.count }
                break
            }
        }
        // A queue small enough for one batch never meets the rule above: a target that could not even
        // be read for any batch is down all the same, and the rerun is the remedy, not the dead letters.
        if report.stoppedEarly == nil && batchesRun > 0 && unreadableBatches == batchesRun {
            report.stoppedEarly =
                "the target could not be read in any batch: \(report.targetFault ?? "it looks down"); "
                + "nothing was written to it"
        }
        report.rowsAboveMark = try queue.countAbove(drain.mark)
        if report.rowsAboveMark > 0 {
            Log.drain.warning("\(report.rowsAboveMark) rows were written above the mark while draining")
        }
        if report.stoppedEarly == nil, let journal { try journal.finish(drain, at: clock()) }
        return report
    }

    /// Members the portal's edits changed in Django: Django's save would have sent them on, so their
    /// documents are rewritten from the register now (the register holds the newest data).
    /// (A dry run did not apply the edits, so its refresh writes the register as it was: only the
    /// document's times matter to the plan.)
    private func refresh(_ kennitala: String) async throws {
        guard !Kennitala.isPlaceholder(kennitala) else { return }
        let register = try RegisterLookup.load(
            database: database, schema: configuration.table.schema, kennitalas: [kennitala])
        guard let data = register.pathB[kennitala] else { return }
        let now = clock()
        _ = try await backoff.run { [store] in
            try await store.commit([
                .merge(
                    .member(kennitala), PathBMemberDocument.fields(data: data, serverTime: now, functionClock: now),
                    serverTime: [FieldPath(["metadata", "synced_at"])])
            ])
        }
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

    struct BatchOutcome {
        var results: [DrainRowResult] = []
        var everyWriteFailed = false
        /// The target's documents could not be read at all (after retries).
        var targetUnreadable = false
        var lastError: String?
        /// Rows left pending because the target failed, not the row (`DrainTargetFault`).
        var leftPending = 0
        var fault: DrainTargetFault?
    }

    private func drainBatch(
        _ batch: [(kennitala: String, rows: [QueueRow])], register: RegisterLookup,
        drain: DrainJournal.Drain, journal: DrainJournal?, queue: QueueTableWriter
    ) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        let store = store
        let paths = batch.map { DocumentPath.member($0.kennitala) }
        let documents: [String: FirestoreDocument]
        do {
            documents = try await backoff.run { try await store.batchGet(paths) }
        } catch let error as FirestoreError {
            // The target cannot even be read: no row of the batch was tried, so none is dead and none
            // is touched in the queue; they stay pending for the rerun.
            outcome.fault = DrainTargetFault(error)
            outcome.leftPending = batch.reduce(0) { $0 + $1.rows.count }
            outcome.everyWriteFailed = true
            outcome.targetUnreadable = true
            outcome.lastError =
                "cannot read the target: " + (outcome.fault?.sentence ?? Masker().freeText(error.description))
            return outcome
        }
        let now = clock()
        var plans = batch.map { member in
            MemberDrainPlan.make(
                kennitala: member.kennitala, rows: member.rows,
                document: documents[DocumentPath.member(member.kennitala).description],
                pathB: register.pathB[member.kennitala], via: configuration.via,
                maxRetries: configuration.maxRetries, now: now)
        }
        if configuration.dryRun && configuration.via == .webhook {
            outcome.results = plans.flatMap { $0.settled + $0.onSuccess }
            return outcome
        }
        // Settled rows first: they need no write.
        let settled = plans.flatMap(\.settled)
        try journal?.recordOutcomes(settled, settling: [], drain: drain)
        outcome.results += settled

        var failures: [(rows: [Int64], message: String)] = []
        var attempted = 0
        var failedMembers = 0
        if configuration.via == .webhook {
            let writing = plans.indices.filter { plans[$0].write != nil }
            attempted = writing.count
            try journal?.recordIntents(
                writing.map { index in
                    DrainJournal.Intent(
                        kennitala: plans[index].kennitala, rowIDs: plans[index].pending.map(\.id),
                        baseUpdateTime: plans[index].baseUpdateTime, outcomes: plans[index].onSuccess)
                }, drain: drain)
            let written = await writeAll(writing.map { plans[$0] })
            var settledMembers: [String] = []
            var results: [DrainRowResult] = []
            for (offset, index) in writing.enumerated() {
                switch written[offset] {
                case .success:
                    results += plans[index].onSuccess
                case .failure(let error) where error.isPrecondition:
                    // Someone wrote the document since it was read (the live webhook): plan again against it.
                    let fresh = try await store.getDocument(.member(plans[index].kennitala))
                    let replanned = MemberDrainPlan.make(
                        kennitala: plans[index].kennitala, rows: plans[index].pending, document: fresh,
                        pathB: register.pathB[plans[index].kennitala], via: .webhook,
                        maxRetries: configuration.maxRetries, now: clock())
                    results += replanned.settled
                    if replanned.write != nil {
                        failures.append((replanned.pending.map(\.id), "the document kept changing during the drain"))
                        results += replanned.pending.map {
                            DrainRowResult(
                                rowID: $0.id, kennitala: replanned.kennitala, action: $0.action, outcome: .dead,
                                detail: "the document kept changing during the drain")
                        }
                    }
                    plans[index] = replanned
                case .failure(let error) where error.fault != nil:
                    // The target went away (or answered garbage) mid-drain: the rows stay pending with the
                    // failure noted, as Django noted one, and the rerun tries them again.
                    failures.append((plans[index].pending.map(\.id), error.message))
                    outcome.lastError = error.message
                    outcome.fault = error.fault
                    outcome.leftPending += plans[index].pending.count
                case .failure(let error):
                    failures.append((plans[index].pending.map(\.id), error.message))
                    outcome.lastError = error.message
                    results += plans[index].pending.map {
                        DrainRowResult(
                            rowID: $0.id, kennitala: plans[index].kennitala, action: $0.action, outcome: .dead,
                            detail: "write failed after \(configuration.attempts) tries: \(error.message)")
                    }
                }
                settledMembers.append(plans[index].kennitala)
            }
            try journal?.recordOutcomes(results, settling: settledMembers, drain: drain)
            outcome.results += results
            failedMembers = failures.count  // one entry per member whose write failed
        } else {
            let pathADrain = PathADrain(store: store, clock: clock, backoff: backoff)
            for plan in plans where !plan.pending.isEmpty {
                attempted += 1
                let settled = try await pathADrain.settle(plan, pathA: register.pathA[plan.kennitala])
                failures += settled.failures
                if let last = settled.failures.last {
                    outcome.lastError = last.message
                    failedMembers += 1
                }
                try journal?.recordOutcomes(settled.results, settling: [], drain: drain)
                outcome.results += settled.results
            }
        }
        guard !configuration.dryRun else { return outcome }
        // The queue's bookkeeping, as Django's endpoints did it: synced after success, a retry after failure.
        let synced = outcome.results.filter(\.outcome.marksSynced)
        try markSettled(synced, in: queue, mark: drain.mark)
        try journal?.recordMarked(synced.map(\.rowID), drain: drain)
        for failure in failures { try queue.recordFailure(failure.rows, message: failure.message, mark: drain.mark) }
        outcome.everyWriteFailed = attempted > 0 && failedMembers == attempted
        return outcome
    }
}
