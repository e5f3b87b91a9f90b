import CutoverSupport

/// The fixed calendar of the demo: data do not depend on the day the seed runs.
public enum DemoTimeline {
    /// Synced rows older than 30 days were purged, so the history starts here.
    public static let historyStart = Timestamp(parsing: "2025-10-25T00:00:00Z")!
    public static let lastSuccessfulRunStarted = Timestamp(parsing: "2025-11-24T03:30:00Z")!
    /// `completed_at` of the newest successful `bidirectional_sync`: Path A's `since`.
    public static let lastSuccessfulRunCompleted = Timestamp(parsing: "2025-11-24T03:30:07.412Z")!
    /// The newest queue row.
    public static let freshEnd = Timestamp(parsing: "2025-11-25T11:00:00Z")!

    /// Nightly runs that failed: they synced nothing, so rows waited for the next successful run.
    /// The last one is why the fresh rows are still pending.
    public static let failedRunDays = ["2025-11-03", "2025-11-16", "2025-11-25"]

    /// Every nightly run of the history, 03:30 each day, 2025-10-25 … 2025-11-25.
    public static var nightlyRuns: [Timestamp] {
        var runs: [Timestamp] = []
        var run = Timestamp(parsing: "2025-10-25T03:30:00Z")!
        while run <= Timestamp(parsing: "2025-11-25T03:30:00Z")! {
            runs.append(run)
            run = run.adding(seconds: 86_400)
        }
        return runs
    }

    static func isFailedRun(_ run: Timestamp) -> Bool { failedRunDays.contains(run.dateString) }

    /// The first successful 03:30 nightly run after `time`: the one that synced a row created then.
    static func nightlyRun(after time: Timestamp) -> Timestamp {
        let day: Int64 = 86_400_000_000
        let offset: Int64 = (3 * 3600 + 30 * 60) * 1_000_000
        var run = (time.microseconds - offset) / day * day + offset
        if run <= time.microseconds { run += day }
        var result = Timestamp(microseconds: run)
        while isFailedRun(result) { result = result.adding(seconds: 86_400) }
        return result
    }
}
