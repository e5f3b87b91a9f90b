import Foundation
import TestSupport
import Testing

/// The helper that runs the binary must not deadlock on a child that fills one pipe while the other
/// stays open: a pipe holds about 64 KiB, and reading stdout to its end first would wait forever.
struct ProcessOutputTests {
    @Test(.timeLimit(.minutes(1)))
    func aChildFillingStderrBeforeWritingStdoutIsReadToTheEnd() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 1 MiB on stderr first (16 times a pipe's buffer), then 1 MiB on stdout, then exit 3.
        process.arguments = ["-c", "head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero; exit 3"]
        let captured = try ProcessOutput.run(process)
        #expect(captured.exitCode == 3)
        #expect(captured.stderr.count == 1_048_576)
        #expect(captured.stdout.count == 1_048_576)
    }
}
