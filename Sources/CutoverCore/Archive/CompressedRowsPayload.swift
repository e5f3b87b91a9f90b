import CutoverSupport
import Deflate
import Digest
import Foundation
import Tar

/// The archive's `queue/rows.copy`, made while `snapshot --archive` reads the queue: the rows' COPY
/// text, in the batches the snapshot's reader hands over, is compressed into gzip members by libdeflate
/// on the other core and hashed for the bag's two manifests on a third thread, so the archive needs no
/// second read of the table.
///
/// The members are the ones `TarWriter.addFile(_:fromFile:mode:ownMembers:)` makes of the same text
/// (the content starts and ends a run of members, chunks counted from its first byte). That is what
/// keeps the one-pass archive byte for byte what `archive create` makes of the finished snapshot.
final class CompressedRowsPayload {
    /// What the archive records of the payload file.
    struct Summary: Sendable {
        let size: Int
        let sha256: String
        let sha512: String
        /// The compressed members, concatenated: spliced into the archive as they are.
        let membersPath: String
    }

    private let membersPath: String
    private let output: FileHandle
    private let compressor: ChunkedGzipCompressor
    private let digests = BackgroundDigests()
    private var compressed: [UInt8] = []
    private var size = 0
    private var summary: Summary?

    /// Creates `membersPath` (mode 0600; it is the queue, unmasked), which should be in a staging directory.
    init(membersPath: String) throws {
        self.membersPath = membersPath
        output = try CleanupRegistry.shared.creating {
            guard
                FileManager.default.createFile(
                    atPath: membersPath, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: membersPath)
            else { throw CutoverError(.output, "cannot create \(membersPath)") }
            return handle
        }
        do { compressor = try ChunkedGzipCompressor(level: TarWriter.level) } catch {
            throw CutoverError(.internalFailure, "\(error)")
        }
    }

    deinit { try? output.close() }

    /// Adds a batch of whole COPY text lines, after every batch before it.
    func append(_ batch: [UInt8]) throws {
        guard !batch.isEmpty else { return }
        size += batch.count
        // The digests' queue keeps its own reference to the batch: nothing is copied.
        digests.update(batch)
        do { try compressor.compress(batch, into: &compressed) } catch {
            throw CutoverError(.internalFailure, "\(error)")
        }
        try writeCompressed()
    }

    /// Waits for the compression and the digests; the payload is complete afterwards. Idempotent.
    func finish() throws -> Summary {
        if let summary { return summary }
        do { try compressor.flush(into: &compressed) } catch { throw CutoverError(.internalFailure, "\(error)") }
        try writeCompressed()
        // Not flushed to disk: the file is staging, read back into the archive moments later and then
        // removed; the archive is flushed. (A flush here cost ~0.04 s of waiting for 27 MB.)
        try output.close()
        let (sha256, sha512) = digests.finish()
        let done = Summary(size: size, sha256: sha256, sha512: sha512, membersPath: membersPath)
        summary = done
        return done
    }

    private func writeCompressed() throws {
        guard !compressed.isEmpty else { return }
        do { try output.write(contentsOf: compressed) } catch {
            throw CutoverError(.output, "cannot write \(membersPath): \(error.localizedDescription)")
        }
        compressed.removeAll(keepingCapacity: true)
    }
}
