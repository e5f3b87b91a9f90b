import CutoverSupport
import Postgres
import Synchronization

/// Index builds spread over connections of their own (`PostgresStagedRestore`'s T2 holds the table in SHARE
/// mode meanwhile; `CREATE INDEX` takes SHARE too, which that lets through). The builders take statements from
/// one shared queue in the order given (the costliest first), so they balance themselves; each build commits on
/// its own. The first failure stops the others from taking more and is what `wait()` throws.
///
/// Why more than one: a parallel build has serial phases (the leader's final merge and the btree write) in
/// which one of two cores idles; a second builder fills them. How many and with what settings was measured
/// (`count`, and Benchmarks/results/issue21-restore-statement-log.md).
final class PostgresIndexBuilders {
    /// The backends of a run's connections, for a SIGINT/SIGTERM handler to end before it drops the staging
    /// schema: a builder between two statements holds no lock on the table, so it is not found by its locks.
    final class Backends: Sendable {
        private let pids = Mutex<[Int]>([])

        func add(_ pid: Int) { pids.withLock { $0.append(pid) } }
        /// As a PostgreSQL array literal (`{12,34}`), for `unnest($1::int[])`.
        var arrayLiteral: String { "{" + pids.withLock { $0.map(String.init).joined(separator: ",") } + "}" }
    }

    /// How many builders, and each one's session settings (the connection is the builder's own). Chosen by
    /// measurement on the benchmark's table (1,000,000 queue rows, nine builds, the read-back beside them; 2
    /// cores shared with other work, load average 6–8; statement log, LOCK to the last build's end, medians of 6
    /// interleaved runs, 2026-12-01 17:22–17:27 UTC): one session with 512MB and 2 workers (before) 8.55 s; two
    /// builders with 256MB and 1 worker each 7.03 s; two with 256MB and no workers 8.48 s. Two builders fill the
    /// serial phases of each other's parallel builds (the leader's merge, the btree write), where one core idled.
    /// Three (256MB, 1 worker) gave 6.97 s against two's 8.23 s in a later set, but on a machine that busy more
    /// processes also take a larger share of the cores from other work, which a quiet one would not give them;
    /// not adopted without a quiet measurement (and 768MB). Two at 256MB use at most the 512MB the one session
    /// did. The server's CPU rose by 0.2–0.7 s of about 11 in four sets of five (four processes share the cores).
    static let count = 2
    static let sessionSettings = "SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 1"

    private let queue: Queue
    private var workers: [BackgroundWork<Void>] = []

    /// Connects `Self.count` builders to `target` (each backend recorded in `backends` before any build starts) and
    /// starts them on threads of their own. A connection that fails stops the builders already started.
    init(target: PostgresTarget, statements: [String], backends: Backends) throws {
        let queue = Queue(statements)
        self.queue = queue
        do {
            for _ in 0..<min(Self.count, statements.count) {
                let builder = try PostgresLegacyDatabase(target: target)
                if let pid = builder.connection.backendPID { backends.add(pid) }
                // Handed to its thread: this one never touches the builder again.
                nonisolated(unsafe) let handed = builder
                workers.append(BackgroundWork { try Self.run(handed, queue) })
            }
        } catch {
            queue.stop()
            for worker in workers { _ = try? worker.wait() }
            throw error
        }
    }

    /// Waits for every builder; rethrows the first failure (the builders it stopped end without one).
    func wait() throws {
        var failure: (any Error)?
        for worker in workers {
            do { try worker.wait() } catch { failure = failure ?? error }
        }
        workers = []
        if let failure { throw failure }
    }

    private static func run(_ builder: PostgresLegacyDatabase, _ queue: Queue) throws {
        defer { builder.connection.close() }
        try builder.execute(sessionSettings)
        while let statement = queue.next() {
            do { try builder.execute(statement) } catch {
                queue.stop()
                throw error
            }
        }
    }

    /// The statements not yet taken; empty for good once a builder failed.
    private final class Queue: Sendable {
        private let state: Mutex<(statements: [String], next: Int)>

        init(_ statements: [String]) { state = Mutex((statements, 0)) }

        func next() -> String? {
            state.withLock { state in
                guard state.next < state.statements.count else { return nil }
                defer { state.next += 1 }
                return state.statements[state.next]
            }
        }

        func stop() { state.withLock { $0.next = $0.statements.count } }
    }
}
