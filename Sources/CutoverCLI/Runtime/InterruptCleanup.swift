import CutoverSupport
import Dispatch
import Foundation

/// SIGINT and SIGTERM for every command but the servers: remove the staging directories and
/// temporary files still registered in `CleanupRegistry` (they hold unmasked personal data), then
/// exit with the conventional code, 130 or 143. The default action would kill the process with them
/// still on disk.
enum InterruptCleanup {
    // Kept alive for the process's lifetime; touched only by `install` and `handOverToServer`, which
    // run on the main task before any work starts.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        for (signalNumber, code) in [(SIGINT, ExitCode.interrupted), (SIGTERM, ExitCode.terminated)] {
            // Ignored, so the default action (death) does not race the handler; the source still sees it.
            signal(signalNumber, SIG_IGN)
            // Not the main queue: a synchronous command keeps the main thread busy until it is done.
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global(qos: .userInitiated))
            source.setEventHandler { cleanUpAndExit(code) }
            source.resume()
            sources.append(source)
        }
    }

    /// `firestore serve` and `shadow serve` shut down gracefully on SIGINT/SIGTERM through their own
    /// handlers (swift-service-lifecycle), exiting 0; ours would end them at once with 130/143.
    static func handOverToServer() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }

    private static func cleanUpAndExit(_ code: ExitCode) -> Never {
        let removed = CleanupRegistry.shared.closeAndRemoveAll()
        let what = removed.isEmpty ? "" : ", removed " + removed.joined(separator: ", ")
        Terminal.error("stopped by \(code == .interrupted ? "SIGINT" : "SIGTERM")\(what)\n")
        // _exit, not exit: the command's thread is still running, and exit's teardown (atexit handlers,
        // static destructors) under its feet could crash and replace the code.
        _exit(code.code)
    }
}
