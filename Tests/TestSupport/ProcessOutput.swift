import Foundation

/// Runs a process to its end and captures its exit status, stdout and stderr.
///
/// Both pipes are read at the same time: a pipe holds about 64 KiB, so reading stdout to its end
/// before stderr deadlocks as soon as the child fills stderr (it blocks writing, we block reading a
/// stdout that never closes). stderr is drained on a thread of its own while this thread drains stdout.
public enum ProcessOutput {
    public struct Captured: Sendable {
        public let exitCode: Int32
        public let stdout: Data
        public let stderr: Data
    }

    /// Starts `process` with fresh pipes for stdout and stderr, reads both to their ends, waits for it.
    public static func run(_ process: Process) throws -> Captured {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errReader = PipeReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errReader.wait()
        process.waitUntilExit()
        return Captured(exitCode: process.terminationStatus, stdout: outData, stderr: errData)
    }

    /// `run(_:)` waited for off the cooperative pool (see `offThePool`), holding one of the slots that
    /// bound how many children the tests run at once.
    public static func run(_ process: Process) async throws -> Captured {
        try await ChildProcessSlots.waitingForChild { try run(process) }
    }
}
