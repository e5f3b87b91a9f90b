import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LocalServers
import Logging
import TestSupport

/// `FirestoreHTTPServer` running in this test process on a free loopback port.
final class LocalServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>
    private let stopSignal: AsyncStream<Void>.Continuation

    private init(port: Int, task: Task<Void, any Error>, stopSignal: AsyncStream<Void>.Continuation) {
        self.port = port
        self.task = task
        self.stopSignal = stopSignal
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Serves `store` for its own database; any other project's database goes to a file beside it.
    static func start(
        store: EmbeddedDocumentStore, options: FirestoreHTTPServer.Options = .init()
    ) async throws -> LocalServer {
        var options = options
        options.port = 0
        // Hundreds of in-process requests per suite: their access lines would bury the test output. A
        // test that reads the access log passes a logger of its own.
        if options.accessLog.label == FirestoreHTTPServer.Options().accessLog.label {
            options.accessLog.logLevel = .warning
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let (stops, stopSignal) = AsyncStream<Void>.makeStream()
        let server = FirestoreHTTPServer(store: store, options: options)
        let task = Task {
            try await server.run(
                until: { for await _ in stops { return } }, onListening: { port in continuation.yield(port) })
        }
        for await port in ports { return LocalServer(port: port, task: task, stopSignal: stopSignal) }
        throw FaultError("server did not start")
    }

    /// Graceful shutdown, as on SIGTERM.
    func stop() async {
        stopSignal.yield()
        _ = await task.result
    }

    /// A REST client for this server.
    func client(
        project: String = "demo-cutover", retry: RetryPolicy = .fastForTests,
        credentials: (any AccessTokenProvider)? = nil
    )
        -> FirestoreRESTClient
    {
        FirestoreRESTClient(
            baseURL: URL(string: "\(url)/v1/")!, database: DatabaseName(project: project),
            credentials: credentials ?? StaticAccessToken("owner", source: "test"), retry: retry,
            emulatorRoot: URL(string: "\(url)/")!)
    }
}

extension RetryPolicy {
    /// Real backoff shape, millisecond waits: tests stay fast.
    static var fastForTests: RetryPolicy {
        var policy = RetryPolicy()
        policy.initialDelay = 0.002
        policy.maxDelay = 0.05
        return policy
    }
}

/// A store in a fresh temporary file with a controllable clock.
func temporaryStore(clock: (@Sendable () -> Timestamp)? = nil) throws -> EmbeddedDocumentStore {
    let path = "\(temporaryStoresDirectory)/\(UUID().uuidString).sqlite"
    if let clock { return try EmbeddedDocumentStore(path: path, clock: clock) }
    return try EmbeddedDocumentStore(path: path)
}

/// The run's directory for `temporaryStore`'s files, removed when the test process exits. The stores were files
/// in the temporary directory that nothing removed: 10,061 had collected in /tmp here, and every command that
/// makes a staging directory lists the directory it works in.
private let temporaryStoresDirectory: String = {
    let path = NSTemporaryDirectory() + "firestore-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    RunCleanup.remove(directory: path)
    return path
}()
