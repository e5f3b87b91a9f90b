import CutoverSupport
import Foundation
import Testing

/// The README's exit-code table is the one `ExitCode` makes, so a new or changed code cannot be
/// documented in one place and not the other.
@Suite struct ExitCodeTableTests {
    @Test func theReadmeHoldsTheGeneratedTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(
            readme.contains(ExitCode.markdownTable + "\n"), "README.md's exit-code table:\n\(ExitCode.markdownTable)")
    }

    @Test func everyCodeIsDistinctAndEveryErrorKindHasOne() {
        #expect(Set(ExitCode.allCases.map(\.code)).count == ExitCode.allCases.count)
        #expect(ExitCode(CutoverError.Kind.schema) == .schema)
        #expect(
            ExitCode.footer(10, of: [.success, .parityAccepted, .failed])
                == "Exit code 10 (0 pass; 10 pass with accepted differences; 11 fail).")
    }
}
