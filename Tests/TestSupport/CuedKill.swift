import Foundation

/// Runs the built `cutover` and SIGKILLs it the moment a line of its standard error is the cue: a crash
/// placed at a point of the run's own making (a log line, a progress count) instead of at a random
/// time, which on a busy machine lands wherever the scheduler happens to be.
public enum CuedKill {
    public struct Outcome: Sendable {
        /// It ended by the kill (a cue was seen while it ran).
        public let killed: Bool
        /// The exit status when it ended on its own.
        public let exitCode: Int32
        /// Everything it wrote to standard error.
        public let stderr: String
    }

    /// The process runs and is read on a thread of its own: the caller's task waits without holding one of
    /// the test runner's few cooperative threads for the whole run.
    public static func run(
        _ arguments: [String], directory: String, cue: @escaping @Sendable (String) -> Bool
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(arguments, directory: directory, cue: cue) })
            }.start()
        }
    }

    static func runBlocking(
        _ arguments: [String], directory: String, cue: (String) -> Bool
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var everything: [UInt8] = []
        var line: [UInt8] = []
        var cued = false
        // Read to the end even after the kill: a child that filled the pipe would otherwise never end.
        while true {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            everything.append(contentsOf: chunk)
            guard !cued else { continue }
            for byte in chunk {
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    continue
                }
                if cue(String(decoding: line, as: UTF8.self)) {
                    cued = true
                    // The child has just written the cue, so it has not been reaped and its pid is still its
                    // own; a kill timed for later could reach another process that reused the pid.
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    break
                }
                line.removeAll(keepingCapacity: true)
            }
        }
        process.waitUntilExit()
        return Outcome(
            killed: process.terminationReason == .uncaughtSignal, exitCode: process.terminationStatus,
            stderr: String(decoding: everything, as: UTF8.self))
    }
}
