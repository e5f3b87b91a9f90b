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
