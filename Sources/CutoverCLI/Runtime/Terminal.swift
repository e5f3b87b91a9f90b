import CutoverSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Standard output for results, standard error for progress and errors. Everything printed passes
/// here, so control characters from rows, documents, rules, the configuration file and file names are
/// escaped here once (`TerminalText`), not at each message that quotes one.
enum Terminal {
    // Both first take a progress line drawn on the terminal away, so no text runs into it.
    static func out(_ text: String) {
        ProgressDisplay.shared.clearLine()
        FileHandle.standardOutput.write(Data(TerminalText.escaped(text, keepingLineBreaks: true).utf8))
    }
    static func error(_ text: String) {
        ProgressDisplay.shared.clearLine()
        FileHandle.standardError.write(Data(TerminalText.escaped(text, keepingLineBreaks: true).utf8))
    }
    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// An error as the operator sees it: `error: ` and the message, then the `next:` hint on its own line
    /// when there is one. (`error` escapes both; a message listing several problems keeps its lines.)
    static func errorLines(_ message: String, next: String? = nil) -> String {
        "error: \(message)\n" + (next.map { "  next: \($0)\n" } ?? "")
    }
}
