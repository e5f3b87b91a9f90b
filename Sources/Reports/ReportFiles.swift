import CutoverSupport
import Foundation

/// Writes a command's report files (`parity.json`, `parity.md`, …) into a directory: each under a
/// temporary name first, then renamed, so a reader never sees half a report. Mode 0600: with
/// `--unmask` they hold personal data.
public enum ReportFiles {
    /// Writes one file a piece at a time (a report too large to hold as one string), under a temporary
    /// name, then renames it.
    public static func write(
        streaming name: String, into directory: String, _ body: ((String) throws -> Void) throws -> Void
    ) throws {
        try createDirectory(directory)
        let path = "\(directory)/\(name)"
        let temporary = "\(path).tmp-\(getpid())"
        // A signal before the rename removes it (with --unmask it holds personal data).
        CleanupRegistry.shared.register(temporary)
        defer { CleanupRegistry.shared.unregister(temporary) }
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw CutoverError(
                .output, "cannot write \(path)", nextStep: "check the directory's permissions and free space")
        }
        do {
            var buffer = Data()
            try body { text in
                buffer.append(contentsOf: text.utf8)
                if buffer.count > 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CutoverError(.output, "cannot write \(path)")
        }
        Log.wrote(path, by: Log.reports)
    }

    private static func createDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CutoverError(
                .output, "cannot create the report directory \(directory): \(error.localizedDescription)")
        }
    }

    /// Where a report's three files went.
    public struct Paths: Sendable, Equatable {
        public var json: String
        public var markdown: String
        public var html: String
    }

    /// Writes a report's `NAME.json`, a piece at a time (a parity or drain report of a million rows is
    /// never one string), then `NAME.md` and `NAME.html` rendered from its document — the only way the
    /// reports reach the disk, so every one is written the same safe way.
    @discardableResult
    public static func write(
        report name: String, into directory: String, json: ((String) throws -> Void) throws -> Void,
        document: ReportDocument
    ) throws -> Paths {
        let paths = Paths(
            json: "\(directory)/\(name).json", markdown: "\(directory)/\(name).md",
            html: "\(directory)/\(name).html")
        try write(streaming: "\(name).json", into: directory, json)
        try write(
            [("\(name).md", MarkdownRenderer.render(document)), ("\(name).html", HTMLRenderer.render(document))],
            into: directory)
        return paths
    }

    /// Writes the files; returns their paths in the order given.
    @discardableResult
    public static func write(_ files: [(name: String, text: String)], into directory: String) throws -> [String] {
        var written: [String] = []
        for file in files {
            try write(streaming: file.name, into: directory) { write in try write(file.text) }
            written.append("\(directory)/\(file.name)")
        }
        return written
    }
}
