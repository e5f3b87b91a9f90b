/// `snapshot --archive` (issue 21): one read makes the snapshot and the archive, against pg_dump's
/// custom format of the same table, on time and on size.
struct OnePassArchiveCase {
    let cutover: String
    let work: String
    /// `pg_dump -Fc -t` of the queue table, writing `q.dump` in `work` (the restore case reads it).
    let pgDump: BenchmarkCase.Command
    /// Another build, measured interleaved beside `cutover` (`--compare-cutover`).
    var compare: String? = nil

    func benchmark(rows: Int, databaseURL: String) -> BenchmarkCase {
        BenchmarkCase(
            name: "snapshot --archive (one pass), \(rows) queue rows",
            subject: .init(
                label: "cutover snapshot --archive",
                shell:
                    "\(cutover) snapshot --source '\(databaseURL)' --no-register --out \(work)/op.sqlite "
                    + "--archive \(work)/op.tar.gz --force --quiet",
                output: "\(work)/op.tar.gz"),
            references: [pgDump]
                + (compare.map {
                    [
                        BenchmarkCase.Command(
                            label: "compared build: snapshot --archive",
                            shell: "\($0) snapshot --source '\(databaseURL)' --no-register --out \(work)/op2.sqlite "
                                + "--archive \(work)/op2.tar.gz --force --quiet",
                            output: "\(work)/op2.tar.gz")
                    ]
                } ?? []),
            baseline: pgDump.label, timeRatioTarget: 1.0, peakTargetMiB: 64, sizeRatioTarget: 1.0)
    }
}
