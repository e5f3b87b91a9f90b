import CutoverSupport
import Foundation

/// The lineage of every differing member, kept in a temporary file as the replay streams (one JSON
/// line each, in kennitala order) instead of in memory: memory stays flat however many members
/// differ. The first few are also kept for the Markdown and HTML pages.
public final class ParityMemberLines: @unchecked Sendable {
    // Written only while the builder runs (one task); read-only once the report is finished.
    public private(set) var count = 0
    public private(set) var shown: [ParityReport.MemberLine] = []
    private let path: String
    private var handle: FileHandle?
    // Private and removed on a signal: with --unmask the lines carry kennitalas.
    private let staging: StagingDirectory

    init(directory: String = NSTemporaryDirectory()) throws {
        staging = try StagingDirectory(for: "\(directory)/cutover-parity-members")
        path = staging.file("members.ndjson")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CutoverError(.output, "cannot create a temporary file in \(directory)") }
        self.handle = handle
    }

    deinit {
        try? handle?.close()
        staging.remove()
    }

    func append(_ line: ParityReport.MemberLine, json: JSONValue) throws {
        if shown.count < ParityReport.membersShown { shown.append(line) }
        count += 1
        try handle?.write(contentsOf: Data((json.canonicalText + "\n").utf8))
    }

    func finish() throws {
        try handle?.close()
        handle = nil
    }

    /// Every member's JSON, in the order appended.
    public func forEach(_ body: (JSONValue) throws -> Void) throws {
        guard let reader = FileHandle(forReadingAtPath: path) else { return }
        defer { try? reader.close() }
        var pending = Data()
        while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 10) {
                let line = pending[pending.startIndex..<newline]
                try body(try JSONValue(parsing: String(decoding: line, as: UTF8.self)))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
    }
}
