import CutoverSupport

/// One run at a time on a queue: held for the whole of a drain, a restore into the queue's place, a
/// retirement or a nightly run, so that two of them never interleave their reads and marks (two drains
/// on one journal corrupt each other's counts; on two journals they double the retry counts).
///
/// PostgreSQL: a session-level advisory lock on the run's own connection (`pg_try_advisory_lock`), with
/// the holder in the connection's `application_name`, which `pg_stat_activity` shows every role; the
/// second run finds it through `pg_locks`. No table is created in the user's database. SQLite: `flock`
/// on `<database>.cutover-lock` beside the file (mode 0600), which holds the holder's line.
/// Both are let go by the server or the kernel when the process ends, however it ends: a crashed run
/// leaves no lock behind to clear by hand.
public final class QueueRunLock {
    public let holder: QueueRunHolder
    private var unlock: (() -> Void)?

    init(holder: QueueRunHolder, unlock: @escaping () -> Void) {
        self.holder = holder
        self.unlock = unlock
    }

    deinit { release() }

    /// Lets go (also done when the lock is no longer referenced); a second call does nothing.
    public func release() {
        unlock?()
        unlock = nil
    }

    /// Takes the lock for `command`'s run on `table`, or throws a `busy` error naming the holder.
    public static func acquire(
        _ command: String, table: QueueTableName, on database: any LegacyDatabase,
        started: Timestamp = .now
    ) throws -> QueueRunLock {
        try database.acquireRunLock(for: table, holder: QueueRunHolder(command: command, started: started))
    }

    /// The advisory lock key: the first 8 bytes of FNV-1a 64 over `cutover-queue-run:SCHEMA.TABLE`.
    ///
    /// Keyed by the table's name, not its OID: the lock guards the queue's place, and a restore drops and
    /// recreates the table there (a new OID), a retirement renames it away, and a restore into a place
    /// with no table yet has no OID at all. Advisory locks are per database already, so the name need not
    /// say which database. FNV-1a, not Swift's `Hasher` (seeded per process): every cutover, of any
    /// version, must compute the same key, or two of them would not see each other.
    public static func key(for table: QueueTableName) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "cutover-queue-run:\(table.schema).\(table.table)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// The refusal: one line naming what is held and by whom.
    static func busy(_ place: String, heldBy holder: String) -> CutoverError {
        CutoverError(
            .busy, "\(place) is busy: held by \(holder); this run changed nothing",
            nextStep: "wait for that run to finish (or stop it), then run this again; a run that died lets go by itself"
        )
    }
}
