import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Standard output for results, standard error for progress and errors.
enum Terminal {
    static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    static func error(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
