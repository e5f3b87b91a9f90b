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
        /// Anything else: a bug or an environment problem.
        case internalFailure = "internal"
    }

    public let kind: Kind
    public let message: String
    public let nextStep: String?

    public init(_ kind: Kind, _ message: String, nextStep: String? = nil) {
        self.kind = kind
        self.message = message
        self.nextStep = nextStep
    }

    public var exitCode: Int32 { ExitCodes.code(for: kind) }

    /// Every error says what to do next: its own advice, or its kind's.
    public var description: String { "\(message)\n  next: \(nextStep ?? kind.defaultNextStep)" }
}

extension CutoverError.Kind {
    /// What to do about an error of this kind when the error itself gives no more specific advice.
    public var defaultNextStep: String {
        switch self {
        case .connection: "check the address, that the server is running, and the credentials (PG* variables, ~/.pgpass, --credentials)"
        case .invalidData: "the rows are named above: fix them in the source, or keep them verbatim with --allow-invalid"
        case .schema: "check --table (SCHEMA.TABLE) and that this is the Django member database"
        case .output: "choose another path, add --force to replace it, or check the directory's permissions and free space"
        case .input: "check the file named above; the command's --help says what it expects"
        case .outOfOrder: "run the missing step first, or add --force (the ledger records it)"
        case .internalFailure: "this is a bug or a machine problem: rerun with --log-level debug and keep the output"
        }
    }
}

/// The documented exit codes of every `cutover` command.
public enum ExitCodes {
    public static let success: Int32 = 0
    public static let internalFailure: Int32 = 1
    public static let connection: Int32 = 3
    public static let invalidData: Int32 = 4
    public static let schema: Int32 = 5
    public static let output: Int32 = 6
    public static let input: Int32 = 7
    public static let outOfOrder: Int32 = 8
    /// Usage errors (unknown flag, bad value) exit with 64, as swift-argument-parser does.
    public static let usage: Int32 = 64

    public static func code(for kind: CutoverError.Kind) -> Int32 {
        switch kind {
        case .connection: connection
        case .invalidData: invalidData
        case .schema: schema
        case .output: output
        case .input: input
        case .outOfOrder: outOfOrder
        case .internalFailure: internalFailure
        }
    }

    /// Firestore failures: credentials and unreachable servers are connection problems.
    public static func code(for error: FirestoreError) -> Int32 {
        switch error.status {
        case .transport, .credential, .unauthenticated, .permissionDenied, .unavailable: connection
        case .malformedResponse: input
        default: internalFailure
        }
    }

    /// The table printed by `--help` and the README.
    public static let table = """
        0   success
        1   unexpected failure (a bug, or the machine: disk full, out of memory)
        3   cannot connect: server unreachable, or credentials missing or refused
        4   invalid data: rows break the legacy table's contract (each named in the output)
        5   schema mismatch: table or column missing, or a column type that cannot be read
        6   output refused: the file exists (use --force) or cannot be written
        7   bad input file: not a snapshot, a snapshot of another format version, a rules file with an error
        8   out of order: a prerequisite step in the ledger is missing, failed or stale (--force runs anyway)
        10  parity replay: pass with accepted differences;  11  parity replay or shadow compare: fail
        20  drain: dead letters left;  21  drain: stopped, the target kept failing
        30  verify: fail;  40  retire: refused, a gate failed;  50  rehearse: no-go
        64  usage error: unknown option or bad value
        """
}
