import Foundation

/// Runs the built `cutover` executable as an operator would, capturing exit code and output.
public enum CutoverBinary {
    public struct Outcome: Sendable {
        public let exitCode: Int32
        public let stdout: String
        public let stderr: String
    }

    /// `.build/<config>/cutover`, beside the test bundle; `CUTOVER_BINARY` overrides it.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["CUTOVER_BINARY"] { return explicit }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test bundle is a file in the products directory; elsewhere a directory in it.
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("cutover").path
    }

    /// Runs with the given arguments; `environment` replaces the process environment when given.
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> Outcome {
        let captured = try ProcessOutput.run(process(arguments, environment: environment, directory: directory))
        return Outcome(
            exitCode: captured.exitCode, stdout: String(decoding: captured.stdout, as: UTF8.self),
            stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    /// The same, waited for without holding a cooperative thread (see `ProcessOutput.run(_:) async`).
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) async throws -> Outcome {
        let captured = try await ProcessOutput.run(process(arguments, environment: environment, directory: directory))
        return Outcome(
            exitCode: captured.exitCode, stdout: String(decoding: captured.stdout, as: UTF8.self),
            stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    /// The binary set up to run with the given arguments, not yet started.
    static func process(_ arguments: [String], environment: [String: String]?, directory: String?) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        return process
    }

    /// A minimal environment: PATH and HOME only, plus `extra` (no PG* variables leak in).
    public static func cleanEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }
}
