import Logging

/// The toolkit's loggers (swift-log), one per job. The command line sets the level (`--log-level`)
/// and sends them to standard error. Messages carry ids and counts, never personal data.
public enum Log {
    public static let snapshot = Logger(label: "cutover.snapshot")
    public static let parity = Logger(label: "cutover.parity")
    public static let drain = Logger(label: "cutover.drain")
    public static let verify = Logger(label: "cutover.verify")
    public static let archive = Logger(label: "cutover.archive")
    public static let restore = Logger(label: "cutover.restore")
    public static let retire = Logger(label: "cutover.retire")
    public static let shadow = Logger(label: "cutover.shadow")
    public static let ledger = Logger(label: "cutover.ledger")
    public static let register = Logger(label: "cutover.register")
    /// Report files written (`parity.json`, `drain.md`, …).
    public static let reports = Logger(label: "cutover.reports")
    /// Staging directories: what an interrupted run left and the next run removed.
    package static let staging = Logger(label: "cutover.staging")
    /// Credentials: a key file others can read.
    package static let credentials = Logger(label: "cutover.credentials")
}
