/// A measured command and the reference commands it is compared against, run interleaved.
struct BenchmarkCase {
    struct Command {
        let label: String
        let shell: String
        /// A file the command writes, whose size is reported.
        let output: String?
        /// Exit codes that mean the command worked (a parity replay that finds differences exits 10 or 11).
        var acceptedExitCodes: Set<Int32> = [0]
    }

    /// Work per run, for a rate: pass when count / median seconds ≥ target, or, when the command reports
    /// the figure judged itself (`measured`, a median over the runs), when that is ≥ target.
    struct Throughput {
        let count: Int
        let unit: String
        let target: Double
        var measured: Double? = nil
    }

    let name: String
    let subject: Command
    let references: [Command]
    /// The reference the ratio is taken against (its label).
    let baseline: String
    /// Pass when subject median ≤ ratio × baseline median.
    let timeRatioTarget: Double?
    let peakTargetMiB: Int?
    /// Pass when the subject's output is at most this many times the baseline's.
    var sizeRatioTarget: Double? = nil
    var throughput: Throughput? = nil
    /// Not measured: run before every run of every command (puts back what the previous run consumed).
    var beforeEachRun: String? = nil
    /// Runs of this case when not the runner's (the largest cases run once to stay in the time budget).
    var runs: Int? = nil
}

/// The medians of one command over its runs.
struct CommandResult {
    let label: String
    let runs: [MeasuredRun]
    let outputBytes: Int?

    var medianSeconds: Double { Self.median(runs.map(\.seconds)) }
    var peakMiB: Double { Double(runs.map(\.peakKiB).max() ?? 0) / 1024 }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
