import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// A server's responder with what operators watch around it: `GET /healthz` and `GET /metrics`
/// answered before the server's own routes, and for every request an access line and the request
/// metrics (route, method, status, duration).
///
/// Neither endpoint asks for a key or token, even when the server does (`shadow serve`'s webhook key,
/// `firestore serve --require-auth`): health checks come from load balancers and orchestrators that
/// hold no key, and neither answer carries personal data — health names only the server's own state,
/// metrics only counts under closed label sets. They are not faulted or delayed by fault injection,
/// so a drill does not take the server out of its pool.
///
/// The access line names the route's template (`…/documents/{document}`), never the path itself,
/// and never a body, header, key or token: paths carry document ids, which can be a kennitala.
struct ObservedResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    typealias Context = BasicRequestContext

    let inner: Inner
    let metrics: ServerMetrics
    let accessLog: Logger
    /// The route template of a request the inner responder answers.
    let route: @Sendable (Request) -> String
    let health: @Sendable () async -> HealthReport

    static var healthPath: String { "/healthz" }
    static var metricsPath: String { "/metrics" }

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let method = Self.methodLabel(request.method)
        let route: String
        let response: Response
        let note = AccessNote()
        if request.method == .get && request.uri.path == Self.healthPath {
            route = Self.healthPath
            response = await health().response
        } else if request.method == .get && request.uri.path == Self.metricsPath {
            route = Self.metricsPath
            response = Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        } else {
            route = self.route(request)
            do {
                response = try await AccessNote.$current.withValue(note) {
                    try await inner.respond(to: request, context: context)
                }
            } catch {
                // Hummingbird answers a thrown error with its status, or 500: count and log that.
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                served(method: method, route: route, status: status, since: started, note: note)
                throw error
            }
        }
        served(method: method, route: route, status: response.status.code, since: started, note: note)
        return response
    }

    /// Until the answer's head is ready; a streamed body's time is not included (every answer here
    /// is buffered, except a fault-injected dropped connection). A refused request's line carries its
    /// rejection's name as `reason` metadata.
    private func served(
        method: String, route: String, status: Int, since started: ContinuousClock.Instant, note: AccessNote? = nil
    ) {
        let duration = ContinuousClock.now - started
        metrics.requestServed(route: route, method: method, status: status, duration: duration)
        accessLog.info(
            "\(method) \(route) \(status) \(Self.milliseconds(duration)) ms",
            metadata: note?.rejection.map { ["reason": "\($0)"] })
    }

    static func milliseconds(_ duration: Duration) -> String {
        let tenths = Int((duration / .microseconds(100)).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The methods HTTP defines; anything else is `OTHER`, so a client cannot invent label values.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        let known: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"]
        return known.contains(method.rawValue) ? method.rawValue : "OTHER"
    }
}
