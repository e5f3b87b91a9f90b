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
        var logger = Logger(label: "cutover.\(name)")
        logger.logLevel = .warning
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: "cutover-\(name)"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
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

    /// Waits for cancellation (the server ended by a signal), not forever.
    public static let untilSignalled: @Sendable () async -> Void = {
        while !Task.isCancelled { try? await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }
}
