import Foundation

/// Runs cases: each command `runs` times, interleaved (subject, reference 1, reference 2, subject, …)
/// so that drift on the machine hits all of them alike.
struct BenchmarkRunner {
    struct Outcome {
        let benchmark: BenchmarkCase
        let results: [CommandResult]

        var subject: CommandResult { results[0] }
        var baseline: CommandResult? { results.first { $0.label == benchmark.baseline } }
        var timeRatio: Double? { baseline.map { subject.medianSeconds / max($0.medianSeconds, 0.000_001) } }
        var timePassed: Bool? { benchmark.timeRatioTarget.flatMap { target in timeRatio.map { $0 <= target } } }
        var peakPassed: Bool? { benchmark.peakTargetMiB.map { subject.peakMiB <= Double($0) } }
        var sizeRatio: Double? {
            guard let mine = subject.outputBytes, let theirs = baseline?.outputBytes, theirs > 0 else { return nil }
            return Double(mine) / Double(theirs)
        }
        var sizePassed: Bool? { benchmark.sizeRatioTarget.flatMap { target in sizeRatio.map { $0 <= target } } }
        var rate: Double? {
            benchmark.throughput.map { $0.measured ?? Double($0.count) / max(subject.medianSeconds, 0.000_001) }
        }
        var ratePassed: Bool? { benchmark.throughput.flatMap { throughput in rate.map { $0 >= throughput.target } } }
        var passed: Bool? {
            let checks = [timePassed, peakPassed, sizePassed, ratePassed].compactMap { $0 }
            return checks.isEmpty ? nil : !checks.contains(false)
        }
    }

    let runs: Int
    let environment: [String: String]

    /// A set-up step: must succeed, not measured.
    func prepare(_ shell: String) throws {
        let run = try MeasuredRun.shell(shell, environment: environment)
        guard run.exitStatus == 0 else { throw BenchError("set-up step failed (\(run.exitStatus)): \(shell)") }
    }

    func measure(_ benchmark: BenchmarkCase) throws -> Outcome {
        let commands = [benchmark.subject] + benchmark.references
        var runsByCommand = Array(repeating: [MeasuredRun](), count: commands.count)
        let runs = benchmark.runs ?? self.runs
        for round in 1...runs {
            for (index, command) in commands.enumerated() {
                if let before = benchmark.beforeEachRun { try prepare(before) }
                let run = try MeasuredRun.shell(command.shell, environment: environment)
                guard command.acceptedExitCodes.contains(run.exitStatus) else {
                    throw BenchError("\(command.label) failed (\(run.exitStatus)): \(command.shell)")
                }
                runsByCommand[index].append(run)
                print(
                    String(
                        format: "  [%d/%d] %-36@ %7.2f s  %6.1f MiB", round, runs, command.label as NSString,
                        run.seconds, Double(run.peakKiB) / 1024))
            }
        }
        let results = commands.enumerated().map { index, command in
            CommandResult(
                label: command.label, runs: runsByCommand[index],
                outputBytes: command.output.flatMap { Self.size(of: $0) })
        }
        return Outcome(benchmark: benchmark, results: results)
    }

    static func size(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }
}
