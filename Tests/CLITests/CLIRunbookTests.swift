import Foundation
import TestSupport
import Testing

/// Every shell block of the three runbooks, run in order as an operator pasting them into one
/// terminal would, against the test PostgreSQL and a local Firestore server.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIRunbookTests {
    static let runbooks = ["cutover.md", "parity.md", "rollback.md"]

    /// The `sh` blocks of a Markdown file, in order.
    static func shellBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```sh" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    static var runbookDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Runbooks").path
    }

    @Test func everyShellBlockOfTheRunbooksRuns() async throws {
        try await withTemporaryDirectory { directory in
            // The world's store served as it is: the documents a seed through the server writes.
            let world = DemoWorld(members: 300, queueRows: 1_500)
            try await world.withCopiedDatabase(store: .at("firestore.sqlite"), in: directory) { url in
                let server = try ServedProcess.firestore(data: "\(directory)/firestore.sqlite")
                defer { server.stop() }

                var script = "set -euo pipefail\n"
                var blockCount = 0
                for runbook in Self.runbooks {
                    let text = try String(contentsOfFile: "\(Self.runbookDirectory)/\(runbook)", encoding: .utf8)
                    let blocks = Self.shellBlocks(text)
                    #expect(!blocks.isEmpty, "\(runbook) has no shell block")
                    for (index, block) in blocks.enumerated() {
                        blockCount += 1
                        script += "echo '::block \(runbook) #\(index + 1)'\n\(block)\n"
                    }
                }
                try script.write(toFile: "\(directory)/runbooks.sh", atomically: true, encoding: .utf8)
                let binDirectory = (CutoverBinary.path as NSString).deletingLastPathComponent
                let environment = CutoverBinary.cleanEnvironment([
                    "PATH": "\(binDirectory):/usr/bin:/bin", "SOURCE": url, "TARGET": server.url,
                ])
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = ["runbooks.sh"]
                process.environment = environment
                process.currentDirectoryURL = URL(fileURLWithPath: directory)
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                // A whole runbook of commands: waited for without holding a cooperative thread.
                let data = try await ChildProcessSlots.waitingForChild {
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return data
                }
                let log = String(decoding: data, as: UTF8.self)
                #expect(process.terminationStatus == 0, "runbook failed:\n\(log.suffix(3_000))")
                #expect(log.components(separatedBy: "::block ").count - 1 == blockCount, "every block ran")
                #expect(log.contains("quiet_for"), "the quiet-window check of cutover.md step 6 ran")
                #expect(log.contains("retired: the table is now membership_membersyncqueue_retired_"))
                #expect(log.contains("content hash matches the snapshot"))
                #expect(log.contains("nightly run: since"))
            }
        }
    }
}
