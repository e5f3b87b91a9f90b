/// The fixed calendar of the demo: data do not depend on the day the seed runs.
public enum DemoTimeline {
    /// Synced rows older than 30 days were purged, so the history starts here.
    public static let historyStart = Timestamp(parsing: "2025-10-25T00:00:00Z")!
    public static let lastSuccessfulRunStarted = Timestamp(parsing: "2025-11-24T03:30:00Z")!
    /// `completed_at` of the newest successful `bidirectional_sync`: Path A's `since`.
    public static let lastSuccessfulRunCompleted = Timestamp(parsing: "2025-11-24T03:30:07.412Z")!
    /// The newest queue row.
    public static let freshEnd = Timestamp(parsing: "2025-11-25T11:00:00Z")!

    /// The 03:30 nightly run that follows `time` (the one that synced a row created then).
    static func nightlyRun(after time: Timestamp) -> Timestamp {
        let day: Int64 = 86_400_000_000
        let offset: Int64 = (3 * 3600 + 30 * 60) * 1_000_000
        var run = (time.microseconds - offset) / day * day + offset
        if run <= time.microseconds { run += day }
        return Timestamp(microseconds: run)
    }
}
