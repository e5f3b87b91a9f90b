import CutoverSupport
import Firestore
import LegacySync

/// `--via queue`: one member's pending rows applied with Path A's exact semantics (`PathAPull`), a
/// faithful last nightly run — row by row, oldest first, each failure retried with backoff unless it
/// cannot pass on another try. (A dry run's store keeps the writes in memory.)
struct PathADrain {
    let store: any DocumentStore
    let clock: @Sendable () -> Timestamp
    let backoff: DrainBackoff

    struct Settled {
        var results: [DrainRowResult] = []
        /// Rows whose pull failed, and why: the queue records a retry for them.
        var failures: [(rows: [Int64], message: String)] = []
    }

    /// - Parameter pathA: Django's member endpoint's answer for this member, nil for a 404.
    func settle(_ plan: MemberDrainPlan, pathA: JSONValue?) async throws -> Settled {
        let pull = PathAPull(store: store, clock: clock) { _ in pathA }
        var settled = Settled()
        for row in plan.pending {
            var result = await pull.apply(row)
            var tries = 1
            while case .failed(let message) = result, tries < backoff.attempts, !Self.isPermanent(message) {
                try await Task.sleep(nanoseconds: backoff.delay(tries))
                tries += 1
                result = await pull.apply(row)
            }
            let (outcome, detail): (DrainOutcome, String) =
                switch result {
                case .written: (.applied, "written as the nightly run did")
                case .successWithoutWrite(let why) where row.action == .delete: (.orphan, why)
                case .successWithoutWrite(let why): (.applied, "no write: \(why)")
                case .failed(let why): (.dead, Masker().freeText(why))
                }
            if outcome == .dead { settled.failures.append(([row.id], detail)) }
            settled.results.append(
                DrainRowResult(
                    rowID: row.id, kennitala: plan.kennitala, action: row.action,
                    outcome: outcome, detail: detail))
        }
        return settled
    }

    /// Failures another try cannot mend: the member endpoint's 404, a value Path A rejects, a missing document.
    private static func isPermanent(_ message: String) -> Bool {
        message.contains("404") || message.contains("invalid") || message.contains("NOT_FOUND")
    }
}
