import Foundation

/// Supplies the bearer token for Firestore requests (FIRESTORE.md §5).
public protocol AccessTokenProvider: Sendable {
    /// How the token is obtained, for messages (never the token itself).
    var source: String { get }
    /// Whether asking again (after a 401) can give a different token.
    var canRefresh: Bool { get }
    /// The token, or nil to send no Authorization header.
    func token(refresh: Bool) async throws -> String?
}

/// A fixed token: `owner` for the emulator and the local server (admin, bypasses rules).
public struct StaticAccessToken: AccessTokenProvider {
    let value: String?
    public let source: String

    public init(_ value: String?, source: String) {
        self.value = value
        self.source = source
    }

    public var canRefresh: Bool { false }
    public func token(refresh: Bool) async throws -> String? { value }
}

/// A token from an environment variable, read at each request (so a wrapper can rotate it).
public struct EnvironmentAccessToken: AccessTokenProvider {
    public let variable: String

    public init(variable: String) { self.variable = variable }

    public var source: String { "environment variable \(variable)" }
    public var canRefresh: Bool { true }

    public func token(refresh: Bool) async throws -> String? {
        guard
            let value = ProcessInfo.processInfo.environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { throw FirestoreError(.credential, "no access token: environment variable \(variable) is not set") }
        return value
    }
}

/// A token printed by a command, e.g. `gcloud auth print-access-token`; kept 45 minutes (tokens live
/// about an hour) and fetched again after a 401.
public actor CommandAccessToken: AccessTokenProvider {
    public nonisolated let command: String
    private var cached: (token: String, fetched: Date)?

    public init(command: String) { self.command = command }

    public nonisolated var source: String { "command `\(command)`" }
    public nonisolated var canRefresh: Bool { true }

    public func token(refresh: Bool) async throws -> String? {
        if !refresh, let cached, Date().timeIntervalSince(cached.fetched) < 45 * 60 { return cached.token }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FirestoreError(
                .credential, "cannot run the token command `\(command)`: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !token.isEmpty else {
            throw FirestoreError(
                .credential,
                "the token command `\(command)` failed (exit \(process.terminationStatus)) or printed nothing")
        }
        cached = (token, Date())
        return token
    }
}
