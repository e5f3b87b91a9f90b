/// A failure that stops a command. Its `kind` decides the process exit code; `nextStep` tells the
/// operator what to do about it. Messages never hold passwords or row values.
public struct CutoverError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The database could not be reached, or refused the credentials.
        case connection
        /// Rows in the source break the legacy table's contract (listed in the report).
        case invalidData = "invalid_data"
        /// The table or a column is missing, or a column has a type we cannot read.
        case schema
        /// The output exists (without `--force`) or cannot be written.
        case output
        /// An input file (snapshot, options) is not what it claims to be.
        case input
        /// A step run out of order: a prerequisite in the ledger is missing, failed or stale.
        case outOfOrder = "out_of_order"
        /// Another run holds the queue: two runs on one queue would corrupt each other's counts.
        case busy
        /// Anything else: a bug or an environment problem.
        case internalFailure = "internal"
    }

    public let kind: Kind
    public let message: String
    public let nextStep: String?
    /// The wrapper's error behind this one (a `PostgresError` with its SQLSTATE, an `SQLiteError` with
    /// its result code, a `FirestoreError`), for logs and for callers that act on it; never printed
    /// to the operator as it is, since the message already says what matters.
    public let cause: (any Error & Sendable)?

    public init(_ kind: Kind, _ message: String, nextStep: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.kind = kind
        self.message = message
        self.nextStep = nextStep
        self.cause = cause
    }

    public var exitCode: Int32 { ExitCode(kind).code }

    /// Every error says what to do next: its own advice, or its kind's.
    public var description: String { "\(message)\n  next: \(nextStep ?? kind.defaultNextStep)" }
}

extension CutoverError.Kind {
    /// What to do about an error of this kind when the error itself gives no more specific advice.
    public var defaultNextStep: String {
        switch self {
        case .connection:
            "check the address, that the server is running, and the credentials (PG* variables, ~/.pgpass, "
                + "--credentials)"
        case .invalidData:
            "the rows are named above: fix them in the source, or keep them verbatim with --allow-invalid"
        case .schema: "check --table (SCHEMA.TABLE) and that this is the Django member database"
        case .output:
            "choose another path, add --force to replace it, or check the directory's permissions and free space"
        case .input: "check the file named above; the command's --help says what it expects"
        case .outOfOrder: "run the missing step first, or add --force (the ledger records it)"
        case .busy: "wait for the run named above to finish, then run this again"
        case .internalFailure: "this is a bug or a machine problem: rerun with --log-level debug and keep the output"
        }
    }
}
