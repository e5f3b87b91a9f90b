import Foundation

/// A `cutover` server command (`firestore serve`, `shadow serve`) running as a process; its URL read
/// from the `listening on …` line; stopped with SIGTERM.
public final class ServedProcess {
    public let process: Process
    public let url: String
    /// What it printed when it started listening.
    public let startOutput: String
    private let output: Pipe

    /// `errorLog`: a file that receives the server's standard error (its log); discarded when nil.
    public init(
        _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        errorLog: String? = nil
    ) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        output = Pipe()
        process.standardOutput = output
        if let errorLog {
            _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        // The `listening on …` line, or under --json the whole envelope (it spans lines).
        var line = Data()
        let handle = output.fileHandleForReading
        func complete() -> Bool {
            line.first == UInt8(ascii: "{") ? line.suffix(2) == Data("}\n".utf8) : line.contains(UInt8(ascii: "\n"))
        }
        while !complete() {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        startOutput = text
        guard let range = text.range(of: "http://[0-9.]+:[0-9]+", options: .regularExpression) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)"])
        }
        url = String(text[range])
    }

    /// `cutover firestore serve` on a free port over the store file `data`.
    public static func firestore(
        data: String, extraArguments: [String] = [], environment: [String: String]? = nil, errorLog: String? = nil
    ) throws -> ServedProcess {
        try ServedProcess(
            ["firestore", "serve", "--port", "0", "--data", data] + extraArguments, environment: environment,
            errorLog: errorLog)
    }

    /// SIGTERM, then the exit status (0 after a graceful shutdown).
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
