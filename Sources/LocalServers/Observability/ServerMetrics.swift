import CoreMetrics
import Prometheus

/// What one server counts, exposed at `GET /metrics` in Prometheus's text format. Recorded through
/// swift-metrics with a factory over this server's own registry rather than a process-wide bootstrap:
/// `MetricsSystem.bootstrap` may run once per process, and tests run several servers in one process,
/// each of which must count only its own requests.
///
/// Every label value comes from a closed set (route templates, method names, status codes, reason
/// names), never from a request's path or body: document ids can be a kennitala, and an unbounded
/// label would let any client grow the exposition without limit.
public final class ServerMetrics: Sendable {
    /// `shadow` or `firestore`: the prefix of the server's own metric names.
    public let server: String
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    static let requests = "cutover_http_requests_total"
    static let duration = "cutover_http_request_duration_seconds"

    /// Loopback answers take well under a millisecond; Prometheus's default buckets start at 5 ms.
    static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init(server: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.server = server
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.factory = factory
    }

    var rejections: String { "cutover_\(server)_rejections_total" }
    var faults: String { "cutover_\(server)_faults_injected_total" }
    var deliveries: String { "cutover_\(server)_deliveries_recorded_total" }
    var recordFailures: String { "cutover_\(server)_record_failures_total" }

    /// One answered request: counted by route, method and status; its time in the route's histogram.
    func requestServed(route: String, method: String, status: Int, duration: Duration) {
        CoreMetrics.Counter(
            label: Self.requests, dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        ).increment()
        let (seconds, attoseconds) = duration.components
        CoreMetrics.Timer(label: Self.duration, dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// A request refused as the client's mistake, by a reason from the server's closed list; the same name
    /// goes on the request's access line (`AccessNote`), the one place a refusal is logged.
    func rejected(_ reason: String) {
        counter(rejections, ("reason", reason)).increment()
        AccessNote.current?.reject(reason)
    }

    /// A fault the server injected on purpose (`firestore serve --fail-rate`, `--drop-rate`, …).
    func faultInjected(_ fault: String) { counter(faults, ("fault", fault)).increment() }

    /// A delivery the shadow receiver accepted and committed to its record.
    func deliveryRecorded() { counter(deliveries).increment() }

    /// A delivery the shadow receiver could not commit (answered 500: not accepted).
    func recordFailed() { counter(recordFailures).increment() }

    /// Shows the counters a dashboard expects at zero before the first event, so a rate over them is
    /// defined from the start and a reason that never happened is visibly 0, not absent.
    func prepare(rejectionReasons: [String], faultKinds: [String] = [], deliveries: Bool = false) {
        for reason in rejectionReasons { _ = counter(rejections, ("reason", reason)) }
        for fault in faultKinds { _ = counter(faults, ("fault", fault)) }
        if deliveries {
            _ = counter(self.deliveries)
            _ = counter(recordFailures)
        }
    }

    /// The exposition `GET /metrics` answers with (text format 0.0.4).
    public func exposition() -> String { registry.emitToString() }

    private func counter(_ name: String, _ dimensions: (String, String)...) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
    }
}
