import Foundation

/// Opens a file the operator named for reading. `FileHandle(forReadingAtPath:)` opens a directory as
/// happily as a file, and the first read of it then traps inside Foundation (`try!` on EISDIR): an
/// operator's `--archive DIR` ended the process with signal 4. Here it is a one-line input error.
package enum ReadableFile {
    package static func open(_ path: String) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CutoverError(.input, "\(path) does not exist")
        }
        guard !isDirectory.boolValue else { throw CutoverError(.input, "\(path) is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CutoverError(.input, "cannot read \(path)") }
        return handle
    }
}
