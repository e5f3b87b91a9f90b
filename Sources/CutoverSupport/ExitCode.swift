/// Every code a `cutover` command exits with. `--help`'s table, the README's table (checked by a test)
/// and the reports' footers are all made from these cases, so no copy of a number can drift.
public enum ExitCode: Int32, CaseIterable, Sendable {
    case success = 0
    case internalFailure = 1
    case connection = 3
    case invalidData = 4
    case schema = 5
    case output = 6
    case input = 7
    case outOfOrder = 8
    /// Another cutover run holds the queue (a drain, restore, retire or nightly run on the same table).
    case busy = 9
    case parityAccepted = 10
    case failed = 11
    /// Not a pass and not a fail: the run compared nothing, or too little to stand for proof.
    case inconclusive = 12
    case deadLetters = 20
    case drainStopped = 21
    case verifyFailed = 30
    case retireRefused = 40
    case noGo = 50
    /// Usage errors (unknown flag, bad value) exit with 64, as swift-argument-parser does.
    case usage = 64
    /// Stopped by a signal, with the shell's codes (128 + the signal): staging and temporary files are
    /// removed first, so no unmasked data is left behind.
    case interrupted = 130
    case terminated = 143

    public var code: Int32 { rawValue }

    /// The code a stopping error of this kind exits with.
    public init(_ kind: CutoverError.Kind) {
        switch kind {
        case .connection: self = .connection
        case .invalidData: self = .invalidData
        case .schema: self = .schema
        case .output: self = .output
        case .input: self = .input
        case .outOfOrder: self = .outOfOrder
        case .busy: self = .busy
        case .internalFailure: self = .internalFailure
        }
    }

    /// What the code means, as `--help` and the README say it.
    public var meaning: String {
        switch self {
        case .success: "success"
        case .internalFailure: "unexpected failure (a bug, or the machine: disk full, out of memory)"
        case .connection:
            "cannot connect: server unreachable, credentials missing or refused, or a store with no members where the "
                + "register "
                + "has some (the wrong project?)"
        case .invalidData: "invalid data: rows break the legacy table's contract (each named in the output)"
        case .schema: "schema mismatch: table or column missing, or a column type that cannot be read"
        case .output: "output refused: the file exists (use --force) or cannot be written"
        case .input:
            "bad input file: not a snapshot, a snapshot of another format version or changed since it was written, "
                + "a rules or configuration file with an error (its line named)"
        case .outOfOrder:
            "out of order: a prerequisite step in the ledger is missing, failed or stale (--force runs anyway, "
                + "recorded)"
        case .busy:
            "busy: another drain, restore, retire or nightly run holds the queue (its process, host and start time "
                + "named)"
        case .parityAccepted: "parity replay: pass with accepted differences"
        case .failed: "parity replay or shadow compare: fail"
        case .inconclusive:
            "parity replay, verify or shadow compare: inconclusive, nothing (or not enough) was compared; "
                + "the report says what is missing"
        case .deadLetters: "drain: dead letters left"
        case .drainStopped: "drain: stopped, the target kept failing"
        case .verifyFailed: "verify: fail"
        case .retireRefused: "retire: refused, a gate failed"
        case .noGo: "rehearse: no-go, a step failed"
        case .usage: "usage error: unknown option or bad value"
        case .interrupted: "stopped by SIGINT (Ctrl-C); its staging and temporary files were removed"
        case .terminated: "stopped by SIGTERM; its staging and temporary files were removed"
        }
    }

    /// The word a report's footer uses for this outcome ("0 pass, 10 pass with accepted differences, 11 fail").
    public var outcome: String {
        switch self {
        case .success: "pass"
        case .parityAccepted: "pass with accepted differences"
        case .failed, .verifyFailed: "fail"
        case .inconclusive: "inconclusive"
        case .deadLetters: "dead letters left"
        case .drainStopped: "stopped, the target kept failing"
        case .retireRefused: "refused"
        case .noGo: "no-go"
        default: meaning
        }
    }

    /// A report's footer: the code it ended with, then the codes it can end with.
    /// "Exit code 10 (0 pass, 10 pass with accepted differences, 11 fail)." `success` words what 0 means
    /// where "pass" does not fit (a drain).
    public static func footer(_ code: Int32, of possible: [ExitCode], success: String? = nil) -> String {
        let outcomes = possible.map { "\($0.code) \($0 == .success ? success ?? $0.outcome : $0.outcome)" }
        return "Exit code \(code) (" + outcomes.joined(separator: "; ") + ")."
    }

    /// The table printed by `--help`, one code a line.
    public static var table: String {
        allCases.map { "\(String($0.code).padding(toLength: 4, withPad: " ", startingAt: 0))\($0.meaning)" }
            .joined(separator: "\n")
    }

    /// The README's table, which a test holds to this one.
    public static var markdownTable: String {
        (["| code | meaning |", "|---|---|"] + allCases.map { "| \($0.code) | \($0.meaning) |" }).joined(
            separator: "\n")
    }
}
