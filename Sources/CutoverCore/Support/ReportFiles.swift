import Foundation

/// Writes a command's report files (`parity.json`, `parity.md`, …) into a directory: each under a
/// temporary name first, then renamed, so a reader never sees half a report. Mode 0600: with
/// `--unmask` they hold personal data.
public enum ReportFiles {
    /// Writes the files; returns their paths in the order given.
    @discardableResult
    public static func write(_ files: [(name: String, text: String)], into directory: String) throws -> [String] {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CutoverError(.output, "cannot create the report directory \(directory): \(error.localizedDescription)")
        }
        var written: [String] = []
        for file in files {
            let path = "\(directory)/\(file.name)"
            let temporary = "\(path).tmp-\(getpid())"
            guard manager.createFile(atPath: temporary, contents: Data(file.text.utf8), attributes: [.posixPermissions: 0o600]),
                  rename(temporary, path) == 0
            else {
                try? manager.removeItem(atPath: temporary)
                throw CutoverError(.output, "cannot write \(path)", nextStep: "check the directory's permissions and free space")
            }
            written.append(path)
        }
        return written
    }
}
