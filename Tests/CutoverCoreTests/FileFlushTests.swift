import CutoverSupport
import Foundation
import TestSupport
import Testing

/// `FileFlush`, which `snapshot --archive` runs while the archive is packed: the file may be read while
/// it flushes and is unchanged; a flush that cannot happen is an output error naming the file, raised by
/// `wait()` (not lost on the flushing thread).
struct FileFlushTests {
    @Test func aFileReadWhileItFlushesIsUnchangedAndTheWaitSucceeds() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/snapshot.sqlite"
            let bytes = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let flush = FileFlush(path)
            let readMeanwhile = try Data(contentsOf: URL(fileURLWithPath: path))
            try flush.wait()
            #expect(readMeanwhile == Data(bytes))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
            // A second wait reports the same (successful) outcome instead of blocking.
            try flush.wait()
        }
    }

    @Test func aFileThatCannotBeFlushedIsAnOutputErrorFromWait() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/gone.sqlite"
            let flush = FileFlush(path)
            var refused: CutoverError?
            do { try flush.wait() } catch let error as CutoverError { refused = error }
            #expect(refused?.kind == .output)
            #expect(refused?.message.contains(path) == true)
            #expect(refused?.message.contains("No such file") == true)
        }
    }
}
