import CutoverCore
import CutoverSupport
import Firestore

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

    let stores: ProjectStores
    let options: Options

    /// Serves `stores`: the primary's database and any other project's, each its own namespace.
    public init(stores: ProjectStores, options: Options) {
        self.stores = stores
        self.options = options
    }

    /// Serves `store` for its own database, and every other database from a file beside it.
    public init(store: EmbeddedDocumentStore, options: Options) {
        self.init(stores: ProjectStores(primary: store), options: options)
    }

    /// Serves until SIGINT or SIGTERM arrives or `until` returns, then shuts down gracefully:
    /// requests in progress finish, new connections are refused.
    public func run(
        until stop: @escaping @Sendable () async -> Void = LocalHTTPServer.untilSignalled,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let responder = FirestoreResponder(
            stores: stores, faults: options.faults, requiredToken: options.requiredToken,
            issuedToken: options.issuedToken, clock: options.clock)
        try await LocalHTTPServer.serve(
            responder, host: options.host, port: options.port, name: "firestore", until: stop,
            onListening: onListening)
    }
}
