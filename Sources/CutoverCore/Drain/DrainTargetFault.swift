import Firestore
import LegacySync

/// A failure of the target that says nothing about the rows being drained: it could not be reached
/// (no answer, UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED after every retry) or it answered with
/// something that is not Firestore's JSON. Rows that meet one are left pending for a rerun, and the
/// report says what the target did — never "dead", which means the row's own retries ran out.
struct DrainTargetFault: Sendable {
    enum Kind: Sendable {
        case unreachable
        case malformedResponse
    }

    let kind: Kind
    /// The error as the operator reads it (masked: a server's message may quote a document path).
    let detail: String

    init?(_ error: FirestoreError) {
        switch error.status {
        case .transport, .unavailable, .deadlineExceeded, .resourceExhausted: kind = .unreachable
        case .malformedResponse: kind = .malformedResponse
        default: return nil
        }
        detail = Masker().freeText(error.description)
    }

    /// "the target is unreachable (Firestore TRANSPORT: …)".
    var sentence: String {
        switch kind {
        case .unreachable: "the target is unreachable (\(detail))"
        case .malformedResponse: "the target answered with a malformed response (\(detail))"
        }
    }
}
