import CutoverSupport
import Firestore
import LegacySync

/// The drain's batches with several commits in flight: against a target 50 ms away, one batch after
/// another spends most of its time waiting for answers. This task reads, plans and announces the next
/// batch while earlier commits travel; the journal and the queue are touched by this task alone.
extension Drainer {
    /// Where a drain is, for a progress line: rows done, and the writes' rate against what the ramp allows.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        /// Member writes committed so far.
        public var writes: Int
        /// Writes a second over the last few seconds; nil before there is a span to measure.
        public var writesPerSecond: Double?
        /// What the throttle allows now (`--max-rate`, the ramp); nil when unthrottled.
        public var allowedPerSecond: Double?
    }

    /// What a batch's commit answered, and which batch it was.
    struct Landed: Sendable {
        var sequence: Int
        var written: [Result<Void, WriteError>]
        /// Seconds the throttle held the commit back; when it was sent and answered (`DrainPipelineTimings.now()`).
        var held: Double
        var sent: Double
        var answered: Double
    }

    /// The run's batches, as the loop goes: what every landed batch adds up to, and why it stopped.
    struct BatchTally {
        var done = 0
        var failedBatchesInARow = 0
        var batchesRun = 0
        var unreadableBatches = 0
        /// Set when the target looks down: no further batch is started.
        var stopReason: (outcome: BatchOutcome, batches: Int)?
    }

    func drainBatches(
        _ pending: UnresolvedRowSpool, drain: DrainJournal.Drain, journal: DrainJournal?, queue: QueueTableWriter,
        report: inout DrainReport, progress: (Progress) -> Void
    ) async throws -> BatchTally {
        let total = pending.rows
        var tally = BatchTally()
        // Members and rows handed to `plan` so far.
        var next = 0
        var rowsStarted = 0
        func count(_ outcome: BatchOutcome) throws {
            try report.add(outcome.results)
            report.leftPending += outcome.leftPending
            if let fault = outcome.fault { report.targetFault = fault.sentence }
            tally.done += outcome.rows
            progress(
                Progress(
                    done: tally.done, total: total, writes: throttle.sent, writesPerSecond: throttle.measuredRate,
                    allowedPerSecond: throttle.allowedRate))
            Log.drain.debug("batch: \(outcome.results.count) rows settled")
            if let error = outcome.lastError { Log.drain.warning("writes failed in this batch: \(error)") }
            tally.failedBatchesInARow = outcome.everyWriteFailed ? tally.failedBatchesInARow + 1 : 0
            tally.batchesRun += 1
            if outcome.targetUnreadable { tally.unreadableBatches += 1 }
            if tally.failedBatchesInARow >= configuration.stopAfterFailedBatches && next < pending.members
                && tally.stopReason == nil
            {
                tally.stopReason = (outcome, tally.failedBatchesInARow)
            }
        }

        try await withThrowingTaskGroup(of: Landed.self) { group in
            var inFlight: [Int: PlannedBatch] = [:]
            // Members whose write is in flight: a later batch that holds one of them waits for it, so a
            // member's writes never race and its document is read after its last write landed.
            var busy = Set<String>()
            var sequence = 0
            var reads = DrainReadAhead(store: store, backoff: backoff, depth: configuration.readsAhead)
            // Landed batches whose outcomes wait for the journal's next transaction, then the queue's marks.
            var landedBookkeeping: [QueueBookkeeping] = []
            func bookkeepLanded() throws {
                guard !landedBookkeeping.isEmpty else { return }
                try timings.time(.journal) { try journal?.flushLater() }
                for bookkeeping in landedBookkeeping {
                    try bookkeep(bookkeeping, drain: drain, journal: journal, queue: queue)
                }
                landedBookkeeping.removeAll()
            }
            func landNext() async throws {
                guard let landed = try await timings.time(.slot, { try await group.next() }),
                    let planned = inFlight.removeValue(forKey: landed.sequence)
                else { return }
                busy.subtract(planned.plans.map(\.kennitala))
                throttle.record(landed.written.count)
                timings.commitLanded(
                    held: landed.held, sent: landed.sent, answered: landed.answered, writes: landed.written.count,
                    inFlight: inFlight.count)
                let outcome = try await land(
                    planned, written: landed.written, drain: drain, journal: journal, queue: queue)
                if let bookkeeping = outcome.queueBookkeeping { landedBookkeeping.append(bookkeeping) }
                try count(outcome)
            }
            // Members taken from the spool and not yet planned: the next batch and those read ahead of it.
            var upcoming: [(kennitala: String, rows: [QueueRow])] = []
            let wanted = (max(0, configuration.readsAhead) + 1) * configuration.batchSize
            while next < pending.members && tally.stopReason == nil {
                while upcoming.count < wanted && next + upcoming.count < pending.members {
                    let more = try nextBatch(from: pending, queue: queue)
                    guard !more.isEmpty else { break }
                    upcoming.append(contentsOf: more)
                }
                guard !upcoming.isEmpty else {
                    // The spool counted more members than it hands out: stopping here would mark the drain
                    // finished with rows never tried.
                    throw CutoverError(
                        .internalFailure,
                        "the drain's queue spool ended after \(next) of its \(pending.members) members")
                }
                let batch = Array(upcoming.prefix(configuration.batchSize))
                reads.readAhead(upcoming, after: 0, batchSize: configuration.batchSize, busy: busy)
                while !inFlight.isEmpty
                    && (inFlight.count >= configuration.commitsInFlight
                        || batch.contains { busy.contains($0.kennitala) })
                {
                    try await landNext()
                }
                guard tally.stopReason == nil else { break }
                next += batch.count
                upcoming.removeFirst(batch.count)
                rowsStarted += batch.reduce(0) { $0 + $1.rows.count }
                switch try await plan(
                    batch[...], register: register(for: batch), drain: drain, journal: journal, queue: queue,
                    read: { try await reads.documents(of: batch[...]) })
                {
                case .done(let outcome):
                    try bookkeepLanded()
                    try count(outcome)
                case .commit(let planned):
                    sequence += 1
                    inFlight[sequence] = planned
                    busy.formUnion(planned.plans.map(\.kennitala))
                    let writes = planned.writes
                    let wait = throttle.reserve(writes.count)
                    let (store, backoff, concurrency, number) = (store, backoff, configuration.concurrency, sequence)
                    timings.batchPlanned(inFlight: inFlight.count)
                    group.addTask {
                        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
                        let sent = DrainPipelineTimings.now()
                        let written = await Self.writeAll(
                            writes, store: store, backoff: backoff, concurrency: concurrency)
                        return Landed(
                            sequence: number, written: written, held: wait, sent: sent,
                            answered: DrainPipelineTimings.now())
                    }
                    // The batch's intents went to disk with the landed batches' outcomes: their queue marks
                    // while the commit travels.
                    try bookkeepLanded()
                }
            }
            // Every commit sent is waited for and recorded, also when the target looks down.
            while !inFlight.isEmpty { try await landNext() }
            try bookkeepLanded()
            await reads.finishAll()
        }
        if let (outcome, batches) = tally.stopReason {
            report.stoppedEarly =
                "every write of \(batches) batches in a row failed: the target looks down "
                + "(\(outcome.fault?.sentence ?? outcome.lastError ?? "no answer")); \(pending.members - next) "
                + "members not tried"
            // Rows never tried stay pending, as they were: a rerun drains them.
            report.leftPending += pending.rows - rowsStarted
        }
        return tally
    }
}
