import Foundation

/// Bounds how many short-lived child processes the tests run at once.
///
/// Once waiting for a child no longer holds a cooperative thread (`offThePool`), nothing else bounds it:
/// every test starts at once, and a hundred `cutover` runs on two cores would each take a hundred times
/// as long, past the timeouts that some tests rightly keep. Four slots keep both cores busy while some
/// children wait on PostgreSQL or a server. `CUTOVER_TEST_CHILDREN` overrides the count.
///
/// Slots go in arrival order, except that a long chain's next step (`asLongChain`) goes before every
/// other waiter. A test that runs sixty children one after the other otherwise queues behind the whole
/// suite sixty times, and ends last by minutes however little CPU it needs; the tests that run one or two
/// children each fill the slots around it. Who goes first changes nothing a test checks.
public actor ChildProcessSlots {
    public static let shared = ChildProcessSlots(
        count: ProcessInfo.processInfo.environment["CUTOVER_TEST_CHILDREN"].flatMap { Int($0) } ?? 4)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// Steps of long chains, served before `waiting`.
    private var waitingChainSteps: [CheckedContinuation<Void, Never>] = []

    /// Whether the current task's children are steps of a long chain (see `asLongChain`).
    @TaskLocal static var isLongChain = false

    public init(count: Int) { free = max(1, count) }

    /// Runs `body`, whose children run one after another many times over, with its children's slots
    /// granted before those of tests that asked earlier (child tasks of `body` inherit it).
    public static func asLongChain<T>(_ body: () async throws -> T) async rethrows -> T {
        try await $isLongChain.withValue(true) { try await body() }
    }

    /// Runs `work`, which starts a child process and waits for it, in one of the shared slots and on a
    /// thread of its own (`offThePool`): for children that `ProcessOutput` cannot run (output to a file,
    /// stdout and stderr on one pipe).
    public static func waitingForChild<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await shared.whileHolding { try await offThePool(work) }
    }

    /// Runs `body` once a slot is free, in arrival order, and frees the slot when it returns or throws.
    public nonisolated func whileHolding<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(chainStep: Self.isLongChain)
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire(chainStep: Bool) async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { continuation in
            if chainStep { waitingChainSteps.append(continuation) } else { waiting.append(continuation) }
        }
    }

    private func release() {
        // The slot passes straight to the next waiter, so a newcomer cannot take it first.
        if !waitingChainSteps.isEmpty {
            waitingChainSteps.removeFirst().resume()
        } else if !waiting.isEmpty {
            waiting.removeFirst().resume()
        } else {
            free += 1
        }
    }
}
