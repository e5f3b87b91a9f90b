import CutoverSupport
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Serves a responder on a real HTTP server until SIGINT or SIGTERM arrives or `until` returns, then
/// shuts down gracefully: requests in progress finish, new connections are refused. Shared by the
/// local Firestore server and the shadow webhook receiver.
public enum LocalHTTPServer {
    enum Ended: Sendable { case server, stopRequested }

    public static func serve<Responder: HTTPResponder>(
        _ responder: Responder, host: String, port: Int, name: String,
        until stop: @escaping @Sendable () async -> Void,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws where Responder.Context == BasicRequestContext {
        // At the level the command line chose (`--log-level`, `-v`): the logging system's handler sets it.
        let logger = Logger(label: "cutover.\(name)")
        let listening = ListeningFlag()
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: "cutover-\(name)"),
            onServerRunning: { channel in
                listening.set()
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        do {
            try await run(application, logger: logger, until: stop)
        } catch  where !listening.isSet && !(error is CutoverError) {
            // The bind failed: the operator's --host/--port/--listen, said as that rather than as NIO's
            // type names ("SocketAddressError.UnknownHost …").
            throw CutoverError(
                .connection, "cannot listen on \(host):\(port): no such address on this machine, or the port is taken",
                nextStep: "use an address of this machine (127.0.0.1 by default) and a free port (0 picks one)")
        }
    }

    private static func run<Service: ServiceLifecycle.Service>(
        _ application: Service, logger: Logger, until stop: @escaping @Sendable () async -> Void
    ) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
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

    /// Set once the server listens: an error before that is the bind's.
    private final class ListeningFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// Waits for cancellation (the server ended by a signal), not forever.
    public static let untilSignalled: @Sendable () async -> Void = {
        while !Task.isCancelled { try? await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }
}
