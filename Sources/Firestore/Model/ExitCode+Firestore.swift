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

extension ExitCode {
    /// The exit code any error that stops a step ends with: what the command line exits with, and what
    /// the ledger records for a step that stopped (`rehearse` records its steps as the commands would).
    public static func code(for error: any Error) -> Int32 {
        switch error {
        case let error as CutoverError: error.exitCode
        case let error as FirestoreError: ExitCode(error).code
        default: ExitCode.internalFailure.code
        }
    }
}
