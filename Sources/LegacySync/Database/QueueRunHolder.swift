import CutoverSupport
import Foundation

/// Who holds a queue's run lock: the command, its process and host, and when it started. A second run
/// reads it back to say whom it is waiting for.
///
/// Written as one line, `cutover drain 2026-11-30T23:01:02Z 4242@build-host`: the host comes last because
/// PostgreSQL keeps only 63 bytes of `application_name`, so a long host name is what gets cut, never the
/// command, time or process id.
public struct QueueRunHolder: Sendable, Equatable, CustomStringConvertible {
    public let command: String
    public let processID: Int32
    public let host: String
    /// Whole seconds: the line has no room for more, and an operator needs no more.
    public let started: Timestamp

    public init(
        command: String, processID: Int32 = getpid(), host: String = QueueRunHolder.currentHost, started: Timestamp
    ) {
        self.command = command
        self.processID = processID
        self.host = host
        self.started = Timestamp(microseconds: started.microseconds - started.microseconds % 1_000_000)
    }

    /// This machine's name, as `gethostname` gives it.
    public static var currentHost: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The line, cut to `limit` bytes at the end of the host name when it is longer.
    public func line(limit: Int = .max) -> String {
        let head = "cutover \(command) \(started.iso8601) \(processID)@"
        var host = host
        while head.utf8.count + host.utf8.count > limit && !host.isEmpty { host.removeLast() }
        return head + host
    }

    /// Reads a line `line` wrote; nil for anything else (another program's `application_name`, an empty file).
    public init?(line: String) {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "cutover", let started = Timestamp(parsing: String(parts[2])),
            let at = parts[3].firstIndex(of: "@"), let processID = Int32(parts[3][..<at])
        else { return nil }
        self.init(
            command: String(parts[1]), processID: processID, host: String(parts[3][parts[3].index(after: at)...]),
            started: started)
    }

    /// `cutover drain (pid 4242 on build-host, started 2026-11-30T23:01:02Z)`.
    public var description: String { "cutover \(command) (pid \(processID) on \(host), started \(started.iso8601))" }
}
