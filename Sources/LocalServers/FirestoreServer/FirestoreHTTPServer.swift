import CutoverCore
import CutoverSupport
import Firestore
import Logging

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
        /// Where `GET /metrics` counts; its own registry unless a caller passes one to read in-process.
        public var metrics = ServerMetrics(server: "firestore")
        /// One line per request at `info` (method, route template, status, duration).
        public var accessLog = Logger(label: "cutover.firestore.access")

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
    /// requests in progress finish, new connections are refused. `GET /healthz` and `GET /metrics` are
    /// answered beside Firestore's routes (`ObservedResponder`).
    public func run(
        until stop: @escaping @Sendable () async -> Void = LocalHTTPServer.untilSignalled,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let metrics = options.metrics
        metrics.prepare(
            rejectionReasons: FirestoreResponder.commonRejections, faultKinds: options.faults.kinds)
        let inner = FirestoreResponder(
            stores: stores, faults: options.faults, requiredToken: options.requiredToken,
            issuedToken: options.issuedToken, clock: options.clock, metrics: metrics)
        let started = ContinuousClock.now
        let (stores, faults, authRequired) = (stores, options.faults, options.requiredToken != nil)
        let responder = ObservedResponder(
            inner: inner, metrics: metrics, accessLog: options.accessLog,
            route: { FirestoreRoute.template(path: $0.uri.path) },
            health: {
                await Self.health(
                    stores: stores, faults: faults, authRequired: authRequired, uptime: ContinuousClock.now - started)
            })
        try await LocalHTTPServer.serve(
            responder, host: options.host, port: options.port, name: "firestore", until: stop,
            onListening: onListening)
    }

    /// Healthy while the primary store answers a read (its file can be gone or locked by another
    /// writer). Whether faults are being injected is said, not held against it: a drill is healthy.
    static func health(
        stores: ProjectStores, faults: FaultInjection, authRequired: Bool, uptime: Duration
    ) async -> HealthReport {
        let database = stores.primaryDatabase
        var problem: String?
        do {
            _ = try await stores.store(for: database).getDocument("cutover_healthz/probe")
        } catch {
            problem = "the store of project \(database.project) cannot be read"
        }
        return HealthReport(
            problem: problem, serves: "firestore serve: Firestore REST v1 from an embedded store", uptime: uptime,
            checks: [
                "store": ["project": .string(database.project), "readable": .bool(problem == nil)],
                "faults_injected": .bool(!faults.kinds.isEmpty), "auth_required": .bool(authRequired),
            ])
    }
}
