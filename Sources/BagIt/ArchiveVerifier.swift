import CutoverSupport
import Digest
import Foundation
import Tar

/// `cutover archive verify`: is the bag complete and valid in BagIt's terms (RFC 8493 §3), and is
/// the archive file the one that was written? Every failing file is named, not only the first.
public struct ArchiveVerifier {
    public struct Report: Sendable, Equatable {
        public var archive: String
        /// The archive file's SHA-256 against its `.sha256` sidecar (nil when there is none).
        public var archiveDigestMatches: Bool?
        /// What was not checked, without making the bag invalid (a missing sidecar).
        public var notes: [String] = []
        public var filesChecked = 0
        /// One line per failing file or tag: `path: reason`.
        public var problems: [String] = []
        /// bag-info.txt's fields (label → value).
        public var bagInfo: [String: String] = [:]
        /// Every payload file (under data/) in the archive.
        public var payloadFiles: [String] = []

        public var isValid: Bool { problems.isEmpty && archiveDigestMatches != false }

        /// An empty report: retire's archive gate fills in why an archive could not be read at all.
        package init(archive: String) { self.archive = archive }
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// The phases it names through `progress`: the archive file against its sidecar, then every file in it;
    /// both count the archive file's bytes read (`counted`) of its size.
    public static let phaseCount = 2

    public func run(
        progress: (String) -> Void = { _ in }, counted: (ProgressCount) -> Void = { _ in }
    ) throws
        -> Report
    {
        var report = Report(archive: path)
        // The file's size is the total of both phases: each reads the file once, start to end.
        let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        func archiveRead(_ bytes: Int) { counted(ProgressCount(bytes, of: size, unit: ProgressCount.bytes)) }
        progress("checking \((path as NSString).lastPathComponent) against its .sha256 sidecar")
        checkSidecar(&report, bytesRead: archiveRead)

        // Hash every file as it streams past; keep the small tag files' text.
        var digests: [String: (sha256: String, sha512: String, size: Int)] = [:]
        var tagText: [String: String] = [:]
        var root: String?
        var current: (path: String, sha256: Digester, sha512: Digester, size: Int, keep: [UInt8])?
        // Past a damaged stretch nothing can be read: files after it are not reached, not missing.
        var unreadable = false
        var notReached: Set<String> = []
        func absent(_ file: String, _ problem: String) {
            if unreadable { notReached.insert(file) } else { report.problems.append(problem) }
        }
        progress("reading and hashing every file in the archive")
        archiveRead(0)
        do {
            try TarReader(path: path).read(progress: archiveRead) { event in
                switch event {
                case .begin(let entry):
                    // A bag holds files and directories under one relative root; anything else could make
                    // an extraction write outside it or somewhere other than where it appears to.
                    let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
                    if entry.path.hasPrefix("/") || parts.contains("..") {
                        report.problems.append(
                            "\(entry.path): an absolute path or '..' (would leave the bag directory)")
                        return
                    }
                    guard entry.type == .regularFile || entry.type == .directory else {
                        report.problems.append("\(entry.path): a \(entry.type.name), not a file or directory")
                        return
                    }
                    guard entry.type != .directory else { return }
                    let top = String(entry.path.split(separator: "/").first ?? "")
                    if root == nil { root = top }
                    guard top == root else {
                        report.problems.append("\(entry.path): outside the bag directory \(root ?? "")"); return
                    }
                    current = (String(entry.path.dropFirst(top.count + 1)), Digester(.sha256), Digester(.sha512), 0, [])
                case .data(let chunk):
                    guard current != nil else { return }
                    chunk.withUnsafeBytes {
                        current!.sha256.update($0); current!.sha512.update($0)
                    }
                    current!.size += chunk.count
                    if !current!.path.hasPrefix("data/") { current!.keep.append(contentsOf: chunk) }
                case .end:
                    guard let file = current else { return }
                    digests[file.path] = (file.sha256.hexDigest(), file.sha512.hexDigest(), file.size)
                    if !file.path.hasPrefix("data/") { tagText[file.path] = String(decoding: file.keep, as: UTF8.self) }
                    current = nil
                }
            }
        } catch {
            report.problems.append((error as? CutoverError)?.message ?? "\(error)")
            unreadable = true
        }
        report.filesChecked = digests.count
        report.payloadFiles = digests.keys.filter { $0.hasPrefix("data/") }.sorted()
        for line in (tagText["bag-info.txt"] ?? "").split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            report.bagInfo[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }

        // bagit.txt: the declaration (RFC 8493 §2.1.1).
        if let declaration = tagText["bagit.txt"] {
            if !declaration.contains("BagIt-Version: 1.0")
                || !declaration.contains("Tag-File-Character-Encoding: UTF-8")
            {
                report.problems.append("bagit.txt: not a BagIt 1.0 declaration")
            }
        } else {
            absent("bagit.txt", "bagit.txt: missing")
        }
        // Every manifest line must match; every payload file must be in every manifest (complete).
        for (manifest, algorithm) in [
            ("manifest-sha256.txt", "sha256"), ("manifest-sha512.txt", "sha512"), ("tagmanifest-sha256.txt", "sha256"),
        ] {
            guard let text = tagText[manifest] else {
                absent(manifest, "\(manifest): missing")
                continue
            }
            var listed: Set<String> = []
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else {
                    report.problems.append("\(manifest): unreadable line '\(line.prefix(80))'"); continue
                }
                let file = parts[1].trimmingCharacters(in: .whitespaces)
                listed.insert(file)
                guard let found = digests[file] else {
                    absent(file, "\(file): listed in \(manifest) but missing from the archive")
                    continue
                }
                let actual = algorithm == "sha256" ? found.sha256 : found.sha512
                if actual != parts[0] {
                    report.problems.append("\(file): \(algorithm) does not match \(manifest) (changed)")
                }
            }
            if manifest.hasPrefix("manifest-") && !unreadable {
                for file in digests.keys.sorted() where file.hasPrefix("data/") && !listed.contains(file) {
                    report.problems.append("\(file): in the payload but not in \(manifest)")
                }
            }
        }
        // Payload-Oxum: octets.files of the payload (meaningless when part of it could not be read).
        if unreadable {
            notReached.insert("bag-info.txt")
        } else if let info = tagText["bag-info.txt"],
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("Payload-Oxum:") })
        {
            let payload = digests.filter { $0.key.hasPrefix("data/") }
            let actual = "\(payload.values.reduce(0) { $0 + $1.size }).\(payload.count)"
            if line.dropFirst("Payload-Oxum:".count).trimmingCharacters(in: .whitespaces) != actual {
                report.problems.append(
                    "bag-info.txt: Payload-Oxum says \(line.dropFirst(14)), the payload is \(actual)")
            }
        } else {
            report.problems.append("bag-info.txt: missing or without Payload-Oxum")
        }
        if !notReached.isEmpty {
            report.problems.append(
                "\(notReached.count) files not checked, the archive being unreadable past the damage above: "
                    + notReached.sorted().prefix(5).joined(separator: ", ") + (notReached.count > 5 ? ", …" : ""))
        }
        return report
    }

    /// The `.sha256` sidecar (`sha256sum` format): missing is a note; one that names another file, or
    /// a digest that is not the archive's, makes the archive invalid.
    private func checkSidecar(_ report: inout Report, bytesRead: (Int) -> Void) {
        let sidecarPath = path + ".sha256"
        guard FileManager.default.fileExists(atPath: sidecarPath) else {
            report.notes.append("no \(sidecarPath): the archive file's own SHA-256 was not checked")
            return
        }
        guard let sidecar = try? String(contentsOfFile: sidecarPath, encoding: .utf8) else {
            report.problems.append("\(sidecarPath): unreadable")
            report.archiveDigestMatches = false
            return
        }
        let fields = sidecar.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        let name = (path as NSString).lastPathComponent
        guard fields.count == 2, fields[0].count == 64, fields[1].trimmingPrefix("*") == name else {
            report.problems.append("\(sidecarPath): does not name \(name) with one SHA-256 ('DIGEST  \(name)')")
            report.archiveDigestMatches = false
            return
        }
        guard let actual = try? Self.digest(ofFile: path, bytesRead: bytesRead) else {
            report.problems.append("\(path): unreadable")
            return
        }
        report.archiveDigestMatches = actual == fields[0]
        if actual != fields[0] {
            report.problems.append("\(path): SHA-256 \(actual) differs from \(sidecarPath) (\(fields[0]))")
        }
    }

    static func digest(ofFile path: String, bytesRead: (Int) -> Void = { _ in }) throws -> String {
        let handle = try ReadableFile.open(path)
        defer { try? handle.close() }
        let digester = Digester(.sha256)
        var read = 0
        bytesRead(read)
        while case let chunk = handle.readData(ofLength: 1 << 20), !chunk.isEmpty {
            digester.update(Array(chunk))
            read += chunk.count
            bytesRead(read)
        }
        return digester.hexDigest()
    }
}
