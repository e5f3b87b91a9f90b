import Foundation

/// The checks a command makes before it does anything that cannot be undone: a drain that marks queue
/// rows synced and then cannot write its report has lost the record of what it did. Outputs are made
/// and probed with a real file (permission bits say nothing for root, a read-only mount or a full
/// quota); inputs must be there, readable, and files rather than directories.
package enum OutputPreflight {
    /// A directory the run writes into: made when missing (noted in `created`), then probed by creating
    /// and removing a file in it.
    package static func writableDirectory(_ path: String, for option: String, created: CreatedByThisRun) throws {
        let directory = path.isEmpty ? "." : path
        try refuseNonDirectory(directory, for: option)
        try created.makeDirectory(directory)
        let probe = "\(directory)/.cutover-probe-\(getpid())-\(UUID().uuidString)"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CutoverError(
                .output, "\(option) \(directory) cannot be written: \(reason)",
                nextStep: "choose another \(option), or make it writable; nothing was changed")
        }
        close(descriptor)
        unlink(probe)
    }

    /// A file the run creates or replaces: its directory writable, the path itself not a directory.
    package static func writableFile(
        _ path: String, for option: String, created: CreatedByThisRun,
        whenFailed: CreatedByThisRun.WhenFailed = .removeIfEmpty
    ) throws {
        var status = stat()
        if lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw CutoverError(
                .output, "\(option) \(path) is a directory, not a file",
                nextStep: "name a file, e.g. \(path)/\(option.dropFirst(2)).sqlite")
        }
        try writableDirectory(parent(of: path), for: option, created: created)
        created.file(path, whenFailed: whenFailed)
    }

    /// A file the run reads: there, a regular file (or a link to one), and readable.
    package static func readableFile(_ path: String, for option: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw CutoverError(.input, "\(option) \(path) cannot be read: \(reason)", nextStep: "check the path")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CutoverError(.input, "\(option) \(path) is not a regular file", nextStep: "name the file itself")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CutoverError(.input, "\(option) \(path) cannot be read: \(reason)", nextStep: "check its permissions")
        }
        close(descriptor)
    }

    /// The folder part of a path ("" for a bare name). Not NSString's `deletingLastPathComponent`: this
    /// toolchain's Foundation traps on it for a one-letter relative path (`--out v`).
    package static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The last part of a path, trailing slashes ignored.
    package static func lastComponent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return String(trimmed.split(separator: "/").last ?? trimmed)
    }

    /// A path whose existing part (itself or a parent) is a file cannot become a directory: say so
    /// plainly rather than as mkdir's "Not a directory".
    private static func refuseNonDirectory(_ path: String, for option: String) throws {
        var level = path
        while !level.isEmpty {
            var status = stat()
            if stat(level, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw CutoverError(
                        .output, "\(option) \(path) cannot be written: \(level) is a file, not a directory",
                        nextStep: "choose another \(option); nothing was changed")
                }
                return
            }
            level = level == "/" ? "" : parent(of: level)
        }
    }
}
