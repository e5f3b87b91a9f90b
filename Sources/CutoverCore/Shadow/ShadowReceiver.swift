import CutoverSupport
import Firestore
import Foundation
import LegacySync

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The webhook's contract in front of a recording (LEGACY.md §5): every request is checked exactly as
/// `sync_from_django` checked it (405, 401, 400 with the same bodies), recorded — accepted or rejected
/// with the reason — and committed before anything else happens; then, when accepted, either
/// forwarded to the real webhook (a tee: the caller gets the real answer) or applied with Path B's
/// model to a shadow store.
public struct ShadowReceiver: Sendable {
    public enum Mode: Sendable {
        /// Forward to the real webhook URL with the caller's authorization.
        case forward(URL)
        /// Apply Path B's model to this store.
        case apply(any DocumentStore)
        /// Only record.
        case recordOnly
    }

    public struct Answer: Sendable, Equatable {
        public var status: Int
        public var body: String
        /// Why the webhook's contract refused the request (its `error` message: "Unauthorized",
        /// "Invalid JSON", …); nil when the delivery was accepted and recorded, whatever the real
        /// webhook or the shadow store answered afterwards.
        public var rejection: String?
    }

    public let recording: DeliveryRecording
    let key: String
    public let mode: Mode
    let session: URLSession
    let clock: @Sendable () -> Timestamp

    public init(
        recording: DeliveryRecording, key: String, mode: Mode,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }
    ) {
        self.recording = recording
        self.key = key
        self.mode = mode
        self.clock = clock
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10  // Django's own timeout
        session = URLSession(configuration: configuration)
    }

    /// Whether the request's head alone refuses it (a missing or wrong key, a method other than POST):
    /// the server asks before it reads the body, so a stranger is answered 401 whatever it sends.
    public func refusesHead(method: String, authorization: String?) -> Bool {
        PathBWebhookRequest.refusal(method: method, authorization: authorization, key: key) != nil
    }

    public func receive(method: String, authorization: String?, body: String) async throws -> Answer {
        let received = clock()
        switch PathBWebhookRequest.parse(method: method, authorization: authorization, body: body, key: key) {
        case .failure(let answer):
            // Not logged here: the server's access line names the refusal (its status and `reason`).
            let reason = answer.body["error"]?.stringValue ?? "rejected"
            // Rejected requests are recorded without their bodies, so a stranger cannot make the record
            // grow by more than a line: only the reason and, when the body parses, the member and action
            // (cut short; never the key). A 401 from Django itself (a wrong key) then still names the
            // member whose change never reached Path B.
            let json = try? JSONValue(parsing: body)
            _ = try await recording.record(
                receivedAt: received,
                kennitala: Kennitala.normalised(String(json?["kennitala"]?.stringValue?.prefix(32) ?? "")),
                action: String(json?["action"]?.stringValue?.prefix(16) ?? ""), status: answer.status, reason: reason,
                body: "")
            return Answer(status: answer.status, body: answer.body.canonicalText, rejection: reason)
        case .success(let request):
            let id = try await recording.record(
                receivedAt: received, kennitala: Kennitala.normalised(request.kennitala),
                action: request.action.rawValue,
                status: 202, reason: "recorded", body: body)
            let answer: Answer
            switch mode {
            case .recordOnly:
                answer = Answer(status: 200, body: Self.success(request))
            case .apply(let store):
                let result = await PathBWebhook(store: store, clock: clock).deliver(
                    kennitala: request.kennitala, action: request.action,
                    data: request.data)
                answer = Answer(status: result.status, body: result.body.canonicalText)
            case .forward(let url):
                answer = await forward(body: body, authorization: authorization, to: url)
            }
            try await recording.settle(id, status: answer.status, reason: answer.status == 200 ? "" : answer.body)
            return answer
        }
    }

    private func forward(body: String, authorization: String?, to url: URL) async -> Answer {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        do {
            let (data, response) = try await session.data(for: request)
            return Answer(
                status: (response as? HTTPURLResponse)?.statusCode ?? 502, body: String(decoding: data, as: UTF8.self))
        } catch {
            return Answer(
                status: 502,
                body: JSONValue.object([
                    "error": .string("the real webhook did not answer: \(error.localizedDescription)")
                ]).canonicalText)
        }
    }

    static func success(_ request: PathBWebhookRequest.Valid) -> String {
        JSONValue.object([
            "success": true, "kennitala": .string(Masker().kennitala(request.kennitala)),
            "action": .string(request.action.rawValue),
        ]).canonicalText
    }
}
