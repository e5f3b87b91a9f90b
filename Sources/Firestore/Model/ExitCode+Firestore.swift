import CutoverSupport

extension ExitCode {
    /// Firestore failures: credentials and unreachable servers are connection problems.
    public init(_ error: FirestoreError) {
        switch error.status {
        case .transport, .credential, .unauthenticated, .permissionDenied, .unavailable: self = .connection
        case .malformedResponse: self = .input
        default: self = .internalFailure
        }
    }
}
