import CutoverSupport
import Firestore
import LegacySync

/// One batch of members in two halves, so that its commit can be in flight while the next batch is read
/// and planned: `plan` reads the documents, plans, records the settled rows and announces the writes in
/// the journal; `land` takes the commit's answer and leaves its outcomes for the journal's next transaction,
/// after which `drainBatches` marks the queue. Nothing is recorded as done before that transaction: a crash
/// leaves intents, which a rerun checks against the target.
extension Drainer {
    struct BatchOutcome {
        var results: [DrainRowResult] = []
        var everyWriteFailed = false
        /// The target's documents could not be read at all (after retries).
        var targetUnreadable = false
        var lastError: String?
        /// Rows left pending because the target failed, not the row (`DrainTargetFault`).
        var leftPending = 0
        var fault: DrainTargetFault?
        /// Queue rows the batch held.
        var rows = 0
        /// The queue's bookkeeping of a landed batch, left for when its outcomes are on disk
        /// (`recordOutcomesLater`): `drainBatches` does it after the journal's next transaction.
        var queueBookkeeping: QueueBookkeeping?
    }

    /// What the queue table is told of a batch's rows: synced, or a failed try.
    struct QueueBookkeeping {
        var synced: [DrainRowResult]
        var failures: [(rows: [Int64], message: String)]
    }

    /// A batch whose writes are announced and not yet answered.
    struct PlannedBatch {
        var plans: [MemberDrainPlan]
        /// The plans with a write, in the order of the commit's answers.
        var writing: [Int]
        var outcome: BatchOutcome
        var writes: [MemberDrainPlan] { writing.map { plans[$0] } }
    }

    enum BatchStep {
        /// Nothing left to write: settled, dry, unreadable, or Path A's writes made on the spot.
        case done(BatchOutcome)
        case commit(PlannedBatch)
    }

    /// - Parameter read: the batch's current documents (read ahead, or now), retried as the backoff says.
    func plan(
        _ batch: ArraySlice<(kennitala: String, rows: [QueueRow])>, register: RegisterLookup,
        drain: DrainJournal.Drain, journal: DrainJournal?, queue: QueueTableWriter,
        read: () async throws -> [String: FirestoreDocument]
    ) async throws -> BatchStep {
        var outcome = BatchOutcome(rows: batch.reduce(0) { $0 + $1.rows.count })
        let documents: [String: FirestoreDocument]
        do {
            documents = try await timings.time(.read) { try await read() }
        } catch let error as FirestoreError {
            // The target cannot even be read: no row of the batch was tried, so none is dead and none
            // is touched in the queue; they stay pending for the rerun.
            outcome.fault = DrainTargetFault(error)
            outcome.leftPending = outcome.rows
            outcome.everyWriteFailed = true
            outcome.targetUnreadable = true
            outcome.lastError =
                "cannot read the target: " + (outcome.fault?.sentence ?? Masker().freeText(error.description))
            return .done(outcome)
        }
        let now = clock()
        let plans = timings.time(.plan) {
            batch.map { member in
                MemberDrainPlan.make(
                    kennitala: member.kennitala, rows: member.rows,
                    document: documents[DocumentPath.member(member.kennitala).description],
                    pathB: register.pathB[member.kennitala], via: configuration.via,
                    maxRetries: configuration.maxRetries, now: now)
            }
        }
        if configuration.dryRun && configuration.via == .webhook {
            outcome.results = plans.flatMap { $0.settled + $0.onSuccess }
            return .done(outcome)
        }
        // Settled rows need no write: recorded first (with the batch's intents, in one transaction).
        let settled = plans.flatMap(\.settled)
        outcome.results += settled
        guard configuration.via == .webhook else {
            try timings.time(.journal) { try journal?.recordOutcomes(settled, settling: [], drain: drain) }
            return .done(
                try await settlePathA(
                    plans, register: register, outcome: outcome, drain: drain, journal: journal, queue: queue))
        }
        let writing = plans.indices.filter { plans[$0].write != nil }
        let intents = writing.map { index in
            DrainJournal.Intent(
                kennitala: plans[index].kennitala, rowIDs: plans[index].pending.map(\.id),
                baseUpdateTime: plans[index].baseUpdateTime, outcomes: plans[index].onSuccess)
        }
        try timings.time(.journal) { try journal?.recordPlanned(settled: settled, intents: intents, drain: drain) }
        // The register goes with the plans made from it: kept for every batch in flight, its members' JSON
        // was a tenth of the drain's heap; a plan made again reads its member's row afresh.
        return .commit(PlannedBatch(plans: plans, writing: writing, outcome: outcome))
    }

    /// The commit's answers for a planned batch, one per write: outcomes recorded, then the queue marked.
    func land(
        _ planned: PlannedBatch, written: [Result<Void, WriteError>], drain: DrainJournal.Drain, journal: DrainJournal?,
        queue: QueueTableWriter
    ) async throws -> BatchOutcome {
        var outcome = planned.outcome
        var plans = planned.plans
        var failures: [(rows: [Int64], message: String)] = []
        var settledMembers: [String] = []
        var results: [DrainRowResult] = []
        for (offset, index) in planned.writing.enumerated() {
            switch written[offset] {
            case .success:
                results += plans[index].onSuccess
            case .failure(let error) where error.isPrecondition:
                // Someone wrote the document since it was read (the live webhook): plan again against it,
                // and against the member's register row as it is now (what that webhook sent, or newer).
                let kennitala = plans[index].kennitala
                let fresh = try await store.getDocument(.member(kennitala))
                let replanned = MemberDrainPlan.make(
                    kennitala: kennitala, rows: plans[index].pending, document: fresh,
                    pathB: try register(of: [kennitala]).pathB[kennitala], via: .webhook,
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
        // On disk with the next batch's intents (one fsync for both), and only then the queue is marked.
        journal?.recordOutcomesLater(results, settling: settledMembers, drain: drain)
        outcome.results += results
        // One entry per member whose write failed.
        outcome.everyWriteFailed = !planned.writing.isEmpty && failures.count == planned.writing.count
        if !configuration.dryRun {
            outcome.queueBookkeeping = QueueBookkeeping(
                synced: outcome.results.filter(\.outcome.marksSynced), failures: failures)
        }
        return outcome
    }

    /// `--via queue`: each member's rows through Path A's pull, on the spot (one member at a time).
    private func settlePathA(
        _ plans: [MemberDrainPlan], register: RegisterLookup, outcome: BatchOutcome, drain: DrainJournal.Drain,
        journal: DrainJournal?, queue: QueueTableWriter
    ) async throws -> BatchOutcome {
        var outcome = outcome
        var failures: [(rows: [Int64], message: String)] = []
        var attempted = 0
        var failedMembers = 0
        let pathADrain = PathADrain(store: store, clock: clock, backoff: backoff)
        for plan in plans where !plan.pending.isEmpty {
            attempted += 1
            await throttle.wait(for: plan.pending.count)
            let settled = try await pathADrain.settle(plan, pathA: register.pathA[plan.kennitala])
            throttle.record(plan.pending.count)
            failures += settled.failures
            if let last = settled.failures.last {
                outcome.lastError = last.message
                failedMembers += 1
            }
            try journal?.recordOutcomes(settled.results, settling: [], drain: drain)
            outcome.results += settled.results
        }
        try bookkeep(
            &outcome, failures: failures, attempted: attempted, failedMembers: failedMembers, drain: drain,
            journal: journal, queue: queue)
        return outcome
    }

    /// The queue's bookkeeping, as Django's endpoints did it: synced after success, a retry after failure.
    private func bookkeep(
        _ outcome: inout BatchOutcome, failures: [(rows: [Int64], message: String)], attempted: Int,
        failedMembers: Int? = nil, drain: DrainJournal.Drain, journal: DrainJournal?, queue: QueueTableWriter
    ) throws {
        outcome.everyWriteFailed = attempted > 0 && (failedMembers ?? failures.count) == attempted
        guard !configuration.dryRun else { return }
        try bookkeep(
            QueueBookkeeping(synced: outcome.results.filter(\.outcome.marksSynced), failures: failures), drain: drain,
            journal: journal, queue: queue)
    }

    /// Tells the queue: rows synced, failed tries noted. Their outcomes must be on disk already.
    func bookkeep(
        _ bookkeeping: QueueBookkeeping, drain: DrainJournal.Drain, journal: DrainJournal?, queue: QueueTableWriter
    ) throws {
        try timings.time(.queue) { try markSettled(bookkeeping.synced, in: queue, mark: drain.mark) }
        // In the journal's next transaction: the queue's update is what makes a rerun skip the rows.
        journal?.recordMarkedLater(bookkeeping.synced.map(\.rowID), drain: drain)
        try timings.time(.queue) {
            for failure in bookkeeping.failures {
                try queue.recordFailure(failure.rows, message: failure.message, mark: drain.mark)
            }
        }
    }
}
