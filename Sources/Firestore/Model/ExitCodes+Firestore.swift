import CutoverSupport

extension ExitCodes {
    /// Firestore failures: credentials and unreachable servers are connection problems.
    public static func code(for error: FirestoreError) -> Int32 {
        switch error.status {
        case .transport, .credential, .unauthenticated, .permissionDenied, .unavailable: connection
        case .malformedResponse: input
        default: internalFailure
        }
    }
}
