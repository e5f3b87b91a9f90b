import Synchronization

/// What a request's access line says beyond method, route, status and duration: why the server refused
/// it, by the name its rejection counter uses (`bad_key`, `too_large`, `not_found`). `ObservedResponder`
/// binds a note around the server's own routes and `ServerMetrics.rejected` fills it as it counts, so
/// the line and the counter never disagree and a refusal is logged once, on its access line. Names come
/// from a closed list: never a body, key, token or document id.
final class AccessNote: Sendable {
    /// The note of the request this task is answering; nil outside one (a test calling a responder).
    @TaskLocal static var current: AccessNote?

    private let reason = Mutex<String?>(nil)

    /// The rejection's name, if the request was refused.
    var rejection: String? { reason.withLock { $0 } }

    func reject(_ name: String) { reason.withLock { $0 = name } }
}
