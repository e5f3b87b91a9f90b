import Foundation

/// A `cutover` command run with standard error on a pseudo-terminal, so it prints its progress in the
/// terminal's form (one line redrawn in place) at once. A test waits for the text that says the command
/// reached a step — no sleeping, no polling — then looks at its files or signals it.
///
/// `@unchecked Sendable` so that its waits can run off the cooperative pool: one test owns it, and only
/// one of its waits runs at a time (the test awaits each), so its state is never touched from two threads
/// at once.
public final class TerminalWatchedProcess: @unchecked Sendable {
    public let process: Process
    private let terminal: Int32
    /// Everything the command wrote to standard error so far (the terminal turns "\n" into "\r\n").
    public private(set) var stderr = ""

    public init(
        _ arguments: [String], directory: String, environment: [String: String] = CutoverBinary.cleanEnvironment()
    ) throws {
        // Glibc declares these only under _XOPEN_SOURCE, which Swift's Glibc module does not set: found at run time.
        typealias ByDescriptor = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func libc<Function>(_ symbol: String, _ type: Function.Type) -> Function? {
            dlsym(nil, symbol).map { unsafeBitCast($0, to: type) }
        }
        guard let openTerminal = libc("posix_openpt", ByDescriptor.self),
            let grant = libc("grantpt", ByDescriptor.self),
            let unlock = libc("unlockpt", ByDescriptor.self), let nameOf = libc("ptsname", Name.self)
        else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "no pseudo-terminal functions in libc"])
        }
        terminal = openTerminal(O_RDWR | O_NOCTTY)
        guard terminal >= 0, grant(terminal) == 0, unlock(terminal) == 0, let name = nameOf(terminal) else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "no pseudo-terminal: errno \(errno)"])
        }
        let side = open(name, O_RDWR | O_NOCTTY)
        guard side >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot open \(name)"])
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(fileDescriptor: side, closeOnDealloc: false)
        defer { close(side) }  // the child has its own copy; ours would keep the terminal open after it exits
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        close(terminal)
    }

    /// Reads standard error until it contains `text`; false if the command closed it (ended) first.
    public func waitFor(_ text: String) -> Bool {
        while !stderr.contains(text) {
            guard readSome() else { return false }
        }
        return true
    }

    /// `waitFor(_:)` on a thread of its own, so that the wait holds none of the cooperative pool's threads.
    public func waitFor(_ text: String) async throws -> Bool {
        try await offThePool { self.waitFor(text) }
    }

    /// `waitForExit()` on a thread of its own, so that the wait holds none of the cooperative pool's threads.
    public func waitForExit() async throws -> Int32 {
        try await offThePool { self.waitForExit() }
    }

    /// Reads standard error until it contains `text`, then stops the command there (SIGSTOP), from the thread
    /// that read it; false if the command ended first. The test then looks at a command that cannot move on
    /// however long the looking takes, so the command needs only outlast the read, not the test's checks.
    /// Send it a signal (held until it goes on), then `resume()` it.
    public func pause(at text: String) async throws -> Bool {
        try await offThePool {
            guard self.waitFor(text) else { return false }
            kill(self.process.processIdentifier, SIGSTOP)
            return true
        }
    }

    /// Lets a paused command go on (SIGCONT): a signal sent while it was stopped is delivered now.
    public func resume() { kill(process.processIdentifier, SIGCONT) }

    /// Sends a signal to the command.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Reads the rest of standard error, then waits for the command to end; its exit status, or
    /// 128 + the signal that killed it (as a shell reports it).
    public func waitForExit() -> Int32 {
        while readSome() {}
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// One read from the terminal; false at its end (EIO once every copy of the other side is closed).
    private func readSome() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(terminal, &buffer, buffer.count)
        guard count > 0 else { return false }
        stderr += String(decoding: buffer[..<count], as: UTF8.self)
        return true
    }
}
