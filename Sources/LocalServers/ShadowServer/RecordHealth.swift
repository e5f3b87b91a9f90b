import CutoverCore
import CutoverSupport
import Foundation

/// Whether `shadow serve` can still record deliveries: the record it opened is still the file under
/// its name, that file and its directory are writable (SQLite's WAL and journal files live beside it),
/// and a read of it succeeds. A record deleted or replaced under a running receiver is the dangerous
/// case: SQLite keeps writing to the unlinked file, every delivery is answered as recorded, and all of
/// them vanish when the process ends.
struct RecordHealth: Sendable {
    let recording: DeliveryRecording
    let path: String
    /// The file's device and inode when the server started.
    let opened: FileIdentity?

    struct FileIdentity: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64

        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value,
                let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
            else { return nil }
            self.device = device
            self.inode = inode
        }
    }

    init(recording: DeliveryRecording) async {
        self.recording = recording
        path = await recording.path
        opened = FileIdentity(path: path)
    }

    /// Nil when the record is usable, else what is wrong with it.
    func problem() async -> String? {
        guard let current = FileIdentity(path: path) else {
            return "the delivery record \(path) is gone: deliveries would be written to a deleted file"
        }
        guard current == opened else {
            return "the delivery record \(path) was replaced by another file: deliveries go to the old one"
        }
        let directory = (path as NSString).deletingLastPathComponent
        guard FileManager.default.isWritableFile(atPath: path),
            FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory)
        else {
            return "the delivery record \(path) or its directory is not writable"
        }
        do {
            _ = try await recording.lastShadowRow()
        } catch {
            return "the delivery record \(path) cannot be read"
        }
        return nil
    }

    /// The `record` entry of `/healthz`.
    func check() async -> (problem: String?, json: JSONValue) {
        let problem = await problem()
        return (problem, ["path": .string(path), "open": .bool(problem == nil)])
    }
}
