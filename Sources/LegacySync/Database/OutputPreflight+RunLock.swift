import CutoverSupport

/// The one preflight that knows the legacy database: a database file this run makes gets its run lock
/// (`SQLiteLegacyDatabase+RunLock`) noted too, so a failed run leaves neither behind.
extension OutputPreflight {
    /// `sqlite:PATH` or `embedded:PATH` as something the run writes to; a server or PostgreSQL is
    /// checked when it is connected to, not here.
    package static func writableDatabase(
        _ url: String?, for option: String, created: CreatedByThisRun,
        whenFailed: CreatedByThisRun.WhenFailed = .removeIfEmpty
    ) throws {
        guard let path = url.flatMap(CreatedByThisRun.filePath(of:)) else { return }
        let isNew = !CreatedByThisRun.exists(path)
        try writableFile(path, for: option, created: created, whenFailed: whenFailed)
        // The run lock beside a database this run makes (emptied when released): a failed run that made the
        // database leaves no lock file either. A run refused by the lock never gets here with a new database.
        if isNew { created.file(SQLiteLegacyDatabase.runLockPath(for: path), whenFailed: .removeIfEmpty) }
    }
}
