/// `archive verify` with its progress on (issue 20: counted lines and the plain form's heartbeat) against the
/// same command quiet, and against what an operator would run by hand on the same archive — its sidecar
/// checked and every file in it read — so the progress's cost is measured, not assumed.
struct ArchiveVerifyCase {
    let cutover: String
    let work: String

    func benchmark(rows: Int, archive: String) -> BenchmarkCase {
        let quiet = BenchmarkCase.Command(
            label: "cutover archive verify --quiet", shell: "\(cutover) archive verify \(archive) --quiet",
            output: nil)
        return BenchmarkCase(
            name: "archive verify, \(rows) queue rows",
            subject: .init(
                // Off a terminal, as in a log: counted lines and a heartbeat every 5 s.
                label: "cutover archive verify --progress plain",
                shell: "\(cutover) archive verify \(archive) --progress plain 2>\(work)/verify-progress.log",
                output: nil),
            references: [
                quiet,
                .init(
                    label: "sha256sum -c + tar xzOf | sha512sum",
                    shell: "cd $(dirname \(archive)) && sha256sum -c --quiet $(basename \(archive)).sha256 "
                        + "&& tar xzOf $(basename \(archive)) | sha512sum > /dev/null",
                    output: nil),
            ],
            baseline: quiet.label, timeRatioTarget: 1.05, peakTargetMiB: 64)
    }
}
