import Foundation

/// `cutover firestore serve` running as a real process on a free port; stopped with SIGTERM.
public final class ServedFirestore {
    public let process: Process
    public let url: String
    private let output: Pipe

    /// Starts the server and waits for its `listening on …` line.
    public init(data: String, extraArguments: [String] = [], environment: [String: String]? = nil) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
        process.arguments = ["firestore", "serve", "--port", "0", "--data", data] + extraArguments
        if let environment { process.environment = environment }
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://[0-9.]+:[0-9]+", options: .regularExpression) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)"])
        }
        url = String(text[range])
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
