import CutoverCore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `cutover firestore serve`: the local Firestore stand-in on a real HTTP server.
public struct FirestoreHTTPServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; the chosen one is passed to `onListening`.
        public var port = 8080
        public var faults = FaultInjection()
        public var requiredToken: String?
        public var issuedToken = "local-access-token"
        /// The clock for `readTime` in answers.
        public var clock: @Sendable () -> Timestamp = { Timestamp.now }

        public init() {}
    }

    let store: any DocumentStore
    let options: Options

    public init(store: any DocumentStore, options: Options) {
        self.store = store
        self.options = options
    }

    /// Serves until SIGINT or SIGTERM arrives or `until` returns, then shuts down gracefully:
    /// requests in progress finish, new connections are refused.
    public func run(
        until stop: @escaping @Sendable () async -> Void = {
            // Wait for cancellation (the server ended by a signal), not forever.
            while !Task.isCancelled { try? await Task.sleep(nanoseconds: 3_600_000_000_000) }
        },
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        var logger = Logger(label: "cutover.firestore")
        logger.logLevel = .warning
        let responder = FirestoreResponder(store: store, faults: options.faults, requiredToken: options.requiredToken,
                                           issuedToken: options.issuedToken, clock: options.clock)
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "cutover-firestore"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        enum Ended { case server, stopRequested }
        try await withThrowingTaskGroup(of: Ended.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .server
            }
            tasks.addTask {
                await stop()
                await group.triggerGracefulShutdown()
                return .stopRequested
            }
            if try await tasks.next() == .server {
                tasks.cancelAll()  // a signal ended the server: stop waiting for `stop`
            } else {
                _ = try await tasks.next()  // let the shutdown finish
            }
        }
    }
}
