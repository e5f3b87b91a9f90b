import Foundation

/// Bounds how many short-lived child processes the tests run at once.
///
/// Once waiting for a child no longer holds a cooperative thread (`offThePool`), nothing else bounds it:
/// every test starts at once, and a hundred `cutover` runs on two cores would each take a hundred times
/// as long, past the timeouts that some tests rightly keep. Four slots keep both cores busy while some
/// children wait on PostgreSQL or a server. `CUTOVER_TEST_CHILDREN` overrides the count.
public actor ChildProcessSlots {
    public static let shared = ChildProcessSlots(
        count: ProcessInfo.processInfo.environment["CUTOVER_TEST_CHILDREN"].flatMap { Int($0) } ?? 4)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(count: Int) { free = max(1, count) }

    /// Runs `work`, which starts a child process and waits for it, in one of the shared slots and on a
    /// thread of its own (`offThePool`): for children that `ProcessOutput` cannot run (output to a file,
    /// stdout and stderr on one pipe).
    public static func waitingForChild<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await shared.whileHolding { try await offThePool(work) }
    }

    /// Runs `body` once a slot is free, in arrival order, and frees the slot when it returns or throws.
    public nonisolated func whileHolding<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            // The slot passes straight to the next waiter, so a newcomer cannot take it first.
            waiting.removeFirst().resume()
        }
    }
}
