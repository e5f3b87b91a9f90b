import CutoverCore
import Hummingbird
import HummingbirdCore
import NIOCore

/// `cutover shadow serve`: the webhook's HTTP contract in front of a `ShadowReceiver`. Every request
/// reaches the receiver, which records it before answering; a graceful shutdown lets requests in
/// progress finish, so nothing accepted is lost.
public struct ShadowHTTPServer: Sendable {
    let receiver: ShadowReceiver
    let host: String
    let port: Int

    public init(receiver: ShadowReceiver, host: String, port: Int) {
        self.receiver = receiver
        self.host = host
        self.port = port
    }

    public func run(until stop: @escaping @Sendable () async -> Void = LocalHTTPServer.untilSignalled,
                    onListening: @escaping @Sendable (Int) async -> Void) async throws {
        try await LocalHTTPServer.serve(ShadowResponder(receiver: receiver), host: host, port: port, name: "shadow", until: stop,
                                        onListening: onListening)
    }
}

struct ShadowResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let receiver: ShadowReceiver
    /// Django's payloads are a few kilobytes; anything near a Firestore document's limit is refused.
    static let maxBody = 1_048_576

    func respond(to request: Request, context: Context) async throws -> Response {
        let buffer = try await request.body.collect(upTo: Self.maxBody)
        let body = String(buffer: buffer)
        do {
            let answer = try await receiver.receive(method: request.method.rawValue, authorization: request.headers[.authorization],
                                                    body: body)
            return Response(status: .init(code: answer.status), headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        } catch {
            // The record could not be written: the delivery is not accepted (the caller sees a failure).
            return Response(status: .internalServerError, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"error\":\"the shadow receiver could not record the delivery\"}")))
        }
    }
}
