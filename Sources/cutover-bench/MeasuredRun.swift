import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One run of an external command: wall time, peak RSS of the largest process in it, exit status.
struct MeasuredRun: Sendable {
    let seconds: Double
    /// Peak resident set size in KiB (`wait4`'s ru_maxrss: the largest process of the tree).
    let peakKiB: Int
    let exitStatus: Int32

    /// Runs `/bin/sh -c command` with output discarded (so a pipeline counts as one run), under GNU
    /// time for the peak RSS. Measuring with our own `wait4` would be wrong: `posix_spawn` shares this
    /// process's memory until `exec`, and Linux carries that high-water mark into the child's ru_maxrss.
    static func shell(_ command: String, environment: [String: String]) throws -> MeasuredRun {
        let report = NSTemporaryDirectory() + "cutover-bench-time-\(getpid())"
        defer { unlink(report) }
        let run = try spawn(
            ["/usr/bin/time", "-f", "%M", "-o", report, "/bin/sh", "-c", command], environment: environment)
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        // GNU time prints "Command exited with non-zero status N" before the figure on failure.
        let peak = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        return MeasuredRun(seconds: run.seconds, peakKiB: peak, exitStatus: run.exitStatus)
    }

    private static func spawn(_ arguments: [String], environment: [String: String]) throws -> MeasuredRun {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = DispatchTime.now()
        let spawned = posix_spawn(&pid, arguments[0], &fileActions, nil, argv, envp)
        guard spawned == 0 else {
            throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw BenchError("wait4 failed") }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return MeasuredRun(seconds: seconds, peakKiB: Int(usage.ru_maxrss), exitStatus: exit)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
