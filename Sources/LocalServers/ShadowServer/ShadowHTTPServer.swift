import CutoverCore
import CutoverSupport
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// `cutover shadow serve`: the webhook's HTTP contract in front of a `ShadowReceiver`. Every request
/// reaches the receiver, which records it before answering; a graceful shutdown lets requests in
/// progress finish, so nothing accepted is lost. `GET /healthz` and `GET /metrics` are answered
/// beside it (`ObservedResponder`); every other request is the webhook's, whatever its path.
public struct ShadowHTTPServer: Sendable {
    let receiver: ShadowReceiver
    let host: String
    let port: Int
    public let metrics: ServerMetrics
    let accessLog: Logger

    public init(
        receiver: ShadowReceiver, host: String, port: Int, metrics: ServerMetrics = ServerMetrics(server: "shadow"),
        accessLog: Logger = Logger(label: "cutover.shadow.access")
    ) {
        self.receiver = receiver
        self.host = host
        self.port = port
        self.metrics = metrics
        self.accessLog = accessLog
    }

    public func run(
        until stop: @escaping @Sendable () async -> Void = LocalHTTPServer.untilSignalled,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        metrics.prepare(rejectionReasons: ShadowRejection.allCases.map(\.rawValue), deliveries: true)
        let record = await RecordHealth(recording: receiver.recording)
        let mode = receiver.modeName
        let started = ContinuousClock.now
        let responder = ObservedResponder(
            inner: ShadowResponder(receiver: receiver, metrics: metrics), metrics: metrics, accessLog: accessLog,
            route: { _ in "{webhook}" },
            health: {
                let (problem, json) = await record.check()
                return HealthReport(
                    problem: problem, serves: "shadow serve: the webhook sync_from_django, \(mode)",
                    uptime: ContinuousClock.now - started, checks: ["record": json])
            })
        try await LocalHTTPServer.serve(
            responder, host: host, port: port, name: "shadow", until: stop, onListening: onListening)
    }
}

struct ShadowResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let receiver: ShadowReceiver
    let metrics: ServerMetrics
    /// Django's payloads are a few kilobytes; anything near a Firestore document's limit is refused.
    static let maxBody = 1_048_576

    /// The key and the method are in the head, so they are checked before the body is read: a stranger is
    /// answered 401 however large its body (as the README says), and the body limit guards memory for
    /// the rest — a request with the right key and too large a body is answered 413.
    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let authorization = request.headers[.authorization]
        if receiver.refusesHead(method: method, authorization: authorization) {
            // Answered by the head, whatever follows. The body is still read, within the limit, only so the
            // record can name the member a misconfigured sender's change was for (the shadow comparison
            // explains a missing delivery by it); past the limit, or not UTF-8, the record names none.
            let body =
                if case .text(let text) = try await RequestText.read(request, limit: Self.maxBody) { text } else { "" }
            return await deliver(method: method, authorization: authorization, body: body)
        }
        switch try await RequestText.read(request, limit: Self.maxBody) {
        case .text(let body): return await deliver(method: method, authorization: authorization, body: body)
        case .tooLarge(let limit):
            metrics.rejected(ShadowRejection.tooLarge.rawValue)
            return Self.error(413, "Request body larger than \(limit) bytes")
        case .notUTF8:
            metrics.rejected(ShadowRejection.notUTF8.rawValue)
            return Self.error(400, "Invalid JSON")
        }
    }

    /// The receiver's answer, counted: a rejection by its reason, an accepted delivery as recorded.
    private func deliver(method: String, authorization: String?, body: String) async -> Response {
        do {
            let answer = try await receiver.receive(method: method, authorization: authorization, body: body)
            if let rejection = answer.rejection {
                metrics.rejected(ShadowRejection(status: answer.status, message: rejection).rawValue)
            } else {
                metrics.deliveryRecorded()
            }
            return Response(
                status: .init(code: answer.status), headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        } catch {
            // The record could not be written: the delivery is not accepted (the caller sees a failure).
            metrics.recordFailed()
            return Self.error(500, "the shadow receiver could not record the delivery")
        }
    }

    /// An answer in the webhook's error shape, `{"error": "…"}`.
    static func error(_ status: Int, _ message: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(
                byteBuffer: ByteBuffer(string: JSONValue.object(["error": .string(message)]).canonicalText)))
    }
}
