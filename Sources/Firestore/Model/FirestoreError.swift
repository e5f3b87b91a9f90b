/// The one error type of the Firestore layer: a status (Google's `google.rpc.Code` names, plus a few
/// of our own for what never reached a server), a message, and the document it concerns.
public struct FirestoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Status: String, Sendable {
        case invalidArgument = "INVALID_ARGUMENT"
        case failedPrecondition = "FAILED_PRECONDITION"
        case outOfRange = "OUT_OF_RANGE"
        case unauthenticated = "UNAUTHENTICATED"
        case permissionDenied = "PERMISSION_DENIED"
        case notFound = "NOT_FOUND"
        case alreadyExists = "ALREADY_EXISTS"
        case aborted = "ABORTED"
        case resourceExhausted = "RESOURCE_EXHAUSTED"
        case cancelled = "CANCELLED"
        case `internal` = "INTERNAL"
        case unknown = "UNKNOWN"
        case dataLoss = "DATA_LOSS"
        case unimplemented = "UNIMPLEMENTED"
        case unavailable = "UNAVAILABLE"
        case deadlineExceeded = "DEADLINE_EXCEEDED"
        /// No answer: refused or dropped connection, timeout.
        case transport = "TRANSPORT"
        /// The server answered with something that is not Firestore's JSON.
        case malformedResponse = "MALFORMED_RESPONSE"
        /// No credential to send, or it could not be obtained.
        case credential = "CREDENTIAL"

        /// The HTTP status Firestore's REST API uses for it (google/rpc/code.proto).
        public var httpStatus: Int {
            switch self {
            case .invalidArgument, .failedPrecondition, .outOfRange: 400
            case .unauthenticated: 401
            case .permissionDenied: 403
            case .notFound: 404
            case .alreadyExists, .aborted: 409
            case .resourceExhausted: 429
            case .cancelled: 499
            case .internal, .unknown, .dataLoss, .malformedResponse, .credential, .transport: 500
            case .unimplemented: 501
            case .unavailable: 503
            case .deadlineExceeded: 504
            }
        }

        /// The status an HTTP code stands for when the body does not say.
        public init(httpStatus: Int) {
            switch httpStatus {
            case 400: self = .invalidArgument
            case 401: self = .unauthenticated
            case 403: self = .permissionDenied
            case 404: self = .notFound
            case 409: self = .aborted
            case 429: self = .resourceExhausted
            case 499: self = .cancelled
            case 501: self = .unimplemented
            case 503: self = .unavailable
            case 504: self = .deadlineExceeded
            default: self = .internal
            }
        }
    }

    public let status: Status
    public let message: String
    /// The document (relative path, e.g. `members/0101702389`) the error concerns, when there is one.
    public var document: String?

    public init(_ status: Status, _ message: String, document: String? = nil) {
        self.status = status
        self.message = message
        self.document = document
    }

    public static func invalidArgument(_ message: String, document: String? = nil) -> FirestoreError {
        FirestoreError(.invalidArgument, message, document: document)
    }

    public var description: String {
        "Firestore \(status.rawValue)" + (document.map { " (\($0))" } ?? "") + ": \(message)"
    }
}
