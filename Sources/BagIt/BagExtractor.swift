import CutoverSupport
import Foundation
import Tar

/// A bag's tar.gz extracted to a directory after `ArchiveVerifier` accepts it (`cutover archive extract --to`),
/// all or nothing: the bag is written into a new directory beside the destination and renamed into place
/// only when every file is on disk, so a damaged or interrupted extraction leaves no half bag that looks like
/// a whole one. Nothing already at the destination is written into: it is refused, or with `force` replaced
/// whole, so a symbolic link planted inside it is never followed.
public struct BagExtractor {
    public let archivePath: String

    public init(archivePath: String) { self.archivePath = archivePath }

    /// The phases `extract` names: verification's, then writing the files.
    public static let phaseCount = ArchiveVerifier.phaseCount + 1

    /// Verifies, then writes the bag under `directory`; returns the bag's directory. `progress` names each
    /// phase (`phaseCount`); `counted` counts the archive's bytes read in each.
    @discardableResult
    public func extract(
        to directory: String, force: Bool = false, progress: (String) -> Void = { _ in },
        counted: (ProgressCount) -> Void = { _ in }
    ) throws -> String {
        var destination = directory
        while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
        let existing = CreatedByThisRun.exists(destination)
        if existing && !force {
            throw CutoverError(
                .output, "\(destination) already exists; nothing was extracted",
                nextStep: "choose another --to, or add --force to replace it")
        }
        let report = try ArchiveVerifier(path: archivePath).run(progress: progress, counted: counted)
        guard report.isValid else {
            // One line: the first problem, and where the rest are listed.
            let more =
                report.problems.count > 1
                ? " (and \(report.problems.count - 1) more: cutover archive verify lists them)" : ""
            throw CutoverError(
                .invalidData,
                "\(archivePath) is not valid, nothing was extracted: "
                    + (report.problems.first ?? "its digest does not match its .sha256 sidecar") + more,
                nextStep: "use another copy of the archive (its .sha256 sidecar tells a good copy), "
                    + "or make a new one from the snapshot file it was made from (cutover archive create)")
        }
        // Beside the destination, so the final rename stays on one file system.
        let parent = OutputPreflight.parent(of: destination)
        let name = OutputPreflight.lastComponent(of: destination)
        let staging =
            (parent.isEmpty ? "" : parent + "/") + ".\(name).extracting-\(getpid())-\(UUID().uuidString.prefix(8))"
        guard mkdir(staging, 0o700) == 0 else {
            throw CutoverError(
                .output, "cannot create \(staging): \(String(cString: strerror(errno)))",
                nextStep: "make \(parent.isEmpty ? "." : parent) writable, or choose another --to")
        }
        // Registered: SIGINT/SIGTERM remove a half-extracted bag (unmasked data) before the process ends.
        CleanupRegistry.shared.register(staging)
        var finished = false
        defer {
            if !finished { try? FileManager.default.removeItem(atPath: staging) }
            CleanupRegistry.shared.unregister(staging)
        }
        progress("writing the bag's files beside \(destination)")
        let size = try? FileManager.default.attributesOfItem(atPath: archivePath)[.size] as? Int
        counted(ProgressCount(0, of: size, unit: ProgressCount.bytes))
        let bag = try writeEntries(into: staging) { counted(ProgressCount($0, of: size, unit: ProgressCount.bytes)) }
        try Self.move(staging, to: destination, replacing: existing)
        finished = true
        return bag.isEmpty ? destination : "\(destination)/\(bag)"
    }

    /// Writes every entry under `staging` (a directory this run just made, so nothing in it can be a
    /// link); returns the first directory entry, the bag's own folder.
    private func writeEntries(into staging: String, bytesRead: (Int) -> Void) throws -> String {
        var root = ""
        var descriptor: Int32 = -1
        var current = ""
        defer { if descriptor >= 0 { close(descriptor) } }
        try TarReader(path: archivePath).read(progress: bytesRead) { event in
            switch event {
            case .begin(let entry):
                let components = entry.path.split(separator: "/").map(String.init)
                guard !entry.path.hasPrefix("/"), !components.isEmpty, !components.contains(".."),
                    !components.contains(".")
                else {
                    throw CutoverError(.input, "\(archivePath): unsafe path \(entry.path); nothing was extracted")
                }
                // Through the registry's gate: a signal's cleanup must not see the staging re-created under it.
                try CleanupRegistry.shared.creating { try Self.makeDirectories(components.dropLast(), under: staging) }
                let target = "\(staging)/\(components.joined(separator: "/"))"
                switch entry.type {
                case .directory:
                    if root.isEmpty { root = components.joined(separator: "/") }
                    try CleanupRegistry.shared.creating { try Self.makeDirectories(components[...], under: staging) }
                case .regularFile:
                    // O_EXCL and O_NOFOLLOW: an entry never lands on anything already there, link or not.
                    descriptor = CleanupRegistry.shared.creating {
                        open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                    }
                    guard descriptor >= 0 else {
                        throw CutoverError(.output, "cannot write \(entry.path): \(String(cString: strerror(errno)))")
                    }
                    current = entry.path
                default:
                    throw CutoverError(
                        .invalidData,
                        "\(archivePath): \(entry.path) is not a file or a directory (\(entry.type)); "
                            + "nothing was extracted")
                }
            case .data(let chunk):
                guard descriptor >= 0 else { return }
                try Self.writeAll(chunk, to: descriptor, naming: current)
            case .end:
                if descriptor >= 0 {
                    close(descriptor)
                    descriptor = -1
                }
            }
        }
        return root
    }

    /// Makes each missing folder of `components` under `base`; one that is there must be a real
    /// directory (lstat: a link is refused, not followed).
    private static func makeDirectories(_ components: ArraySlice<String>, under base: String) throws {
        var path = base
        for component in components {
            path += "/\(component)"
            var status = stat()
            if lstat(path, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw CutoverError(
                        .invalidData, "\(path) is in the way of a directory of the archive; nothing was extracted")
                }
            } else if mkdir(path, 0o700) != 0 {
                throw CutoverError(.output, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    private static func writeAll(_ chunk: ArraySlice<UInt8>, to descriptor: Int32, naming path: String) throws {
        try chunk.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw CutoverError(
                        .output, "cannot write \(path): \(String(cString: strerror(errno)))",
                        nextStep: "check free space; nothing was extracted")
                }
                offset += written
            }
        }
    }

    /// Renames the finished bag into place. Replacing moves the old destination aside first and puts it
    /// back if the second rename fails; it is deleted (its links removed, never followed) only after.
    private static func move(_ staging: String, to destination: String, replacing: Bool) throws {
        func failure(_ what: String) -> CutoverError {
            CutoverError(
                .output, "cannot \(what): \(String(cString: strerror(errno)))", nextStep: "nothing was extracted")
        }
        guard replacing else {
            guard rename(staging, destination) == 0 else { throw failure("rename \(staging) to \(destination)") }
            return
        }
        let aside = staging + ".replaced"
        guard rename(destination, aside) == 0 else { throw failure("move \(destination) aside") }
        guard rename(staging, destination) == 0 else {
            let error = failure("rename \(staging) to \(destination)")
            rename(aside, destination)
            throw error
        }
        try? FileManager.default.removeItem(atPath: aside)
    }
}
