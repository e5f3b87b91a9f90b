import Foundation
import Testing

/// Golden files: text a test compares its output with, byte for byte, kept in the repository.
///
/// To regenerate after an intended change, run the tests with `UPDATE_GOLDEN=1`
/// (`UPDATE_GOLDEN=1 bash scripts/test.sh --filter Golden`): each golden file is rewritten with the
/// current output, and `git diff` shows what changed for review.
public enum Golden {
    public static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file at `path` (or, when updating, writes it there).
    public static func expect(
        _ actual: String, matches path: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if updating {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record(
                "no golden file \(path): run the tests with UPDATE_GOLDEN=1 to write it", sourceLocation: sourceLocation
            )
            return
        }
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first =
            zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        let line = { (lines: [Substring]) in first < lines.count ? String(lines[first]) : "(end of text)" }
        Issue.record(
            """
            output differs from \(path) at line \(first + 1):
              golden: \(line(expectedLines))
              actual: \(line(actualLines))
            (if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff)
            """, sourceLocation: sourceLocation)
    }

    /// `Golden/<relative>` beside the test file that calls this.
    public static func path(_ relative: String, filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Golden")
            .appendingPathComponent(relative).path
    }
}
