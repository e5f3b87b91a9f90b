import CutoverSupport
import Firestore

/// Path B's webhook `sync_from_django` (LEGACY.md §5) as an executable model over a document store:
/// `create` replaces `members/{kennitala}`, `update` merges the whole document (fields absent from the
/// new document survive), `delete` is a field update that fails when the document is missing.
public struct PathBWebhook: Sendable {
    public enum Action: String, Sendable, CaseIterable { case create, update, delete }

    /// What the webhook answered.
    public struct Answer: Error, Sendable, Equatable {
        public let status: Int
        public let body: JSONValue
    }

    let store: any DocumentStore
    /// The function's own clock (`metadata.last_modified`, `metadata.deleted_at`); server time comes
    /// from the store's commit.
    let clock: @Sendable () -> Timestamp

    public init(store: any DocumentStore, clock: @escaping @Sendable () -> Timestamp = { Timestamp.now }) {
        self.store = store
        self.clock = clock
    }

    /// Applies one delivery; never throws: failures are the 500 answer the function gave.
    public func deliver(kennitala: String, action: Action, data: JSONValue) async -> Answer {
        let id = Kennitala.normalised(kennitala)
        let path = DocumentPath.member(id)
        let now = clock()
        let write: FirestoreWrite
        switch action {
        case .create:
            write = .set(
                path, PathBMemberDocument.fields(data: data, serverTime: now, functionClock: now),
                serverTime: [Self.syncedAt])
        case .update:
            write = .merge(
                path, PathBMemberDocument.fields(data: data, serverTime: now, functionClock: now),
                serverTime: [Self.syncedAt])
        case .delete:
            write = .update(
                path, [Self.status: "inactive", Self.deletedAt: .timestamp(now)], serverTime: [Self.syncedAt])
        }
        do {
            _ = try await store.commit([write])
            return Answer(
                status: 200,
                body: [
                    "success": true, "kennitala": .string(Masker().kennitala(id)), "action": .string(action.rawValue),
                ])
        } catch {
            // Delete of a missing document, or Firestore failing: the function's generic 500.
            return Answer(status: 500, body: ["error": .string("Internal error: \(error)")])
        }
    }

    static let syncedAt = FieldPath(["metadata", "synced_at"])
    static let deletedAt = FieldPath(["metadata", "deleted_at"])
    static let status = FieldPath(["membership", "status"])
}

/// The webhook's HTTP contract (LEGACY.md §5): POST only; `Authorization: Bearer <key>`, `Token <key>`
/// or the bare key; JSON `{kennitala, action, data}`. Invalid requests get the documented answers.
public enum PathBWebhookRequest {
    public struct Valid: Sendable, Equatable {
        public let kennitala: String
        public let action: PathBWebhook.Action
        public let data: JSONValue
    }

    /// The parsed request, or the answer the webhook gives to it (405, 401, 400).
    public static func parse(
        method: String, authorization: String?, body: String, key: String
    )
        -> Result<Valid, PathBWebhook.Answer>
    {
        func answer(_ status: Int, _ message: String) -> Result<Valid, PathBWebhook.Answer> {
            .failure(PathBWebhook.Answer(status: status, body: ["error": .string(message)]))
        }
        if let refusal = refusal(method: method, authorization: authorization, key: key) { return .failure(refusal) }
        guard let json = try? JSONValue(parsing: body), case .object(let object) = json else {
            return answer(400, "Invalid JSON")
        }
        guard let kennitala = object["kennitala"]?.stringValue, !kennitala.isEmpty else {
            return answer(400, "Missing kennitala")
        }
        guard let actionText = object["action"]?.stringValue, let action = PathBWebhook.Action(rawValue: actionText)
        else {
            return answer(400, "Invalid action")
        }
        let data = object["data"] ?? .null
        if action != .delete && data.objectValue == nil { return answer(400, "Missing data") }
        return .success(Valid(kennitala: kennitala, action: action, data: data))
    }

    /// The answer the request's head alone earns — no key or a wrong one (401), then a method other than
    /// POST (405) — or nil. It needs no body, so a server can give it before reading one.
    public static func refusal(method: String, authorization: String?, key: String) -> PathBWebhook.Answer? {
        func answer(_ status: Int, _ message: String) -> PathBWebhook.Answer {
            PathBWebhook.Answer(status: status, body: ["error": .string(message)])
        }
        // The key first: a stranger learns nothing else about the endpoint, not even its method.
        let presented = authorization.map { header -> String in
            for prefix in ["Bearer ", "Token "] where header.hasPrefix(prefix) {
                return String(header.dropFirst(prefix.count))
            }
            return header
        }
        guard let presented, !key.isEmpty, constantTimeEqual(presented, key) else { return answer(401, "Unauthorized") }
        guard method.uppercased() == "POST" else { return answer(405, "Method not allowed") }
        return nil
    }

    /// Compares every byte whatever the first difference, so the time taken does not tell a caller how
    /// much of a guessed key was right.
    package static func constantTimeEqual(_ presented: String, _ key: String) -> Bool {
        let a = Array(presented.utf8), b = Array(key.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

/// Django's side of Path B: which saves send a webhook, and with what payload.
public enum PathBSender {
    /// Members whose SSN starts with 9999 are never sent.
    public static func payload(
        for member: RegisterMember, action: PathBWebhook.Action
    ) -> (kennitala: String, data: JSONValue)? {
        guard !Kennitala.isPlaceholder(member.ssn) else { return nil }
        return (member.ssn, member.pathBDataJSON)
    }
}
