import Foundation

/// Where a drain's time went, for the log: a line per batch at debug, a summary at info. Against a
/// target 50 ms away these are the figures that say what to tune — how long the one planning task
/// waited for reads, the journal, the queue table and a free commit slot, how long commits travelled,
/// and how full the pipeline of commits actually was. Used by the planning task alone.
final class DrainPipelineTimings {
    /// The planning task's work, each summed over the run.
    enum Phase: CaseIterable {
        /// Waiting for a batch's current documents (the read, or what is left of a read made ahead).
        case read
        /// `MemberDrainPlan` for the batch's members.
        case plan
        /// Journal transactions: settled rows, intents, outcomes, marks (each one fsync).
        case journal
        /// The queue table: rows marked synced, failures recorded.
        case queue
        /// Waiting for a commit to land: the pipeline full, or a member of the batch still in flight.
        case slot

        var label: String {
            switch self {
            case .read: "reads"
            case .plan: "plans"
            case .journal: "journal"
            case .queue: "queue marks"
            case .slot: "waiting for a commit slot"
            }
        }
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private var spent: [Phase: Double] = [:]
    /// Steps before the first batch, in order (the portal's edits, the queue read, the register).
    private(set) var startup: [(step: String, seconds: Double)] = []
    /// Per commit: seconds held by the throttle, then from sending to the answer.
    private var commits: [(held: Double, travelled: Double, writes: Int)] = []
    /// The first commit sent and the last answered: the span the drain was writing.
    private var firstSent: Double?
    private var lastAnswered: Double?
    private(set) var batches = 0
    /// Commits in flight over time: their time integral, the span, the most at once.
    private var inFlightArea = 0.0
    private var inFlight = 0
    private var inFlightChanged: Double?
    private var firstBatch: Double?
    private var mostInFlight = 0

    func seconds(in phase: Phase) -> Double { spent[phase, default: 0] }

    /// Times `body` as `phase` of the planning task.
    func time<T>(_ phase: Phase, _ body: () async throws -> T) async rethrows -> T {
        let start = Self.now()
        defer { spent[phase, default: 0] += Self.now() - start }
        return try await body()
    }

    /// Times a synchronous piece of the planning task.
    func time<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = Self.now()
        defer { spent[phase, default: 0] += Self.now() - start }
        return try body()
    }

    /// A step before the batches ended; `start` is when it began (`now()`).
    func startupStep(_ step: String, since start: Double) {
        startup.append((step, Self.now() - start))
    }

    /// A batch was planned; `commits` is how many are in flight now.
    func batchPlanned(inFlight commitsNow: Int) {
        batches += 1
        if firstBatch == nil { firstBatch = Self.now() }
        inFlightIs(commitsNow)
    }

    /// A commit came back: what the throttle held it, when it was sent and answered, how many writes it held.
    func commitLanded(held: Double, sent: Double, answered: Double, writes: Int, inFlight commitsNow: Int) {
        commits.append((held, answered - sent, writes))
        firstSent = min(firstSent ?? sent, sent)
        lastAnswered = max(lastAnswered ?? answered, answered)
        inFlightIs(commitsNow)
    }

    /// The batch commits' writes, and the seconds from the first commit sent to the last answered: the
    /// rate the drain wrote at while it was writing (start-up and bookkeeping after the last answer
    /// excluded). Nil before a commit landed.
    var writing: (writes: Int, seconds: Double)? {
        guard let firstSent, let lastAnswered else { return nil }
        return (commits.reduce(0) { $0 + $1.writes }, lastAnswered - firstSent)
    }

    private func inFlightIs(_ count: Int) {
        let time = Self.now()
        if let changed = inFlightChanged { inFlightArea += Double(inFlight) * (time - changed) }
        inFlightChanged = time
        inFlight = count
        mostInFlight = max(mostInFlight, count)
    }

    /// Commits in flight on average, from the first batch to the last change.
    var averageInFlight: Double? {
        guard let firstBatch, let inFlightChanged, inFlightChanged > firstBatch else { return nil }
        return inFlightArea / (inFlightChanged - firstBatch)
    }

    /// One line for the log.
    var summary: String {
        let before = startup.map { "\($0.step) \(Self.format($0.seconds))" }.joined(separator: ", ")
        let total = startup.reduce(0) { $0 + $1.seconds }
        let planning = Phase.allCases.map { "\($0.label) \(Self.format(seconds(in: $0)))" }.joined(separator: ", ")
        var line =
            "before the batches \(Self.format(total)) (\(before)); \(batches) batches; planning task: \(planning)"
        let travelled = commits.map(\.travelled).sorted()
        if !travelled.isEmpty {
            let held = commits.reduce(0) { $0 + $1.held }
            line +=
                "; \(commits.count) commits of \(commits.reduce(0) { $0 + $1.writes }) writes, "
                + "\(Self.format(travelled[travelled.count / 2])) median and \(Self.format(travelled.last!)) longest "
                + "on the way, held by the throttle \(Self.format(held)) in all"
        }
        if let averageInFlight {
            line += String(format: "; in flight %.1f on average, %d at most", averageInFlight, mostInFlight)
        }
        return line
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
}
