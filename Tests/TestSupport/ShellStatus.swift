import Foundation

/// Runs `command` with `/bin/sh -c` in `directory`, its output discarded, and returns its exit status:
/// for tests that hold an artifact to the standard tools (`sha256sum -c`, `gzip -t`, `tar xzf`).
public func shellStatus(_ command: String, in directory: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
