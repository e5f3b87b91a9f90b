import Foundation

/// A world `cutover demo seed` makes, named by the options that decide its content: seeded once per test
/// run (`SeededWorlds`) and copied into each test that asks for it.
///
/// Seeding is the suite's largest single cost in child CPU (44 s of it in 112 runs, measured 2026-12-01), and
/// most of those runs made a world another test had already made: the same options always give the same
/// rows and documents. A copy is what a seed would have left, at `cp` speed: the same content, the same file
/// modes, and — since a source's identity is where it lives (a file's path and inode, a database's name) —
/// an identity of its own, as a second seed's would be.
///
/// Not for tests that check the seed run itself (its output, exit code, progress, interruption, the modes
/// it writes), nor for seeds into a live server.
public struct DemoWorld: Hashable, Sendable {
    public var members: Int
    public var queueRows: Int
    /// `--flavour`: django, django-identity or handwritten.
    public var flavour: String
    /// `--seed`; the command's default when nil.
    public var seed: UInt64?

    public init(members: Int, queueRows: Int, flavour: String = "django", seed: UInt64? = nil) {
        (self.members, self.queueRows, self.flavour, self.seed) = (members, queueRows, flavour, seed)
    }

    /// Where a copy's document store goes.
    public enum Store: Sendable {
        /// Where `demo seed` puts it by default: `legacy.sqlite` → `legacy-firestore.sqlite`.
        case besideLegacy
        /// This path, relative to the test's directory unless absolute (`--firestore embedded:PATH`).
        case at(String)
        /// No store (`--no-firestore`).
        case none
    }

    /// The `demo seed` options that make this world (without `--into` and `--firestore`).
    var seedOptions: [String] {
        ["--members", "\(members)", "--queue-rows", "\(queueRows)", "--flavour", flavour]
            + (seed.map { ["--seed", "\($0)"] } ?? [])
    }

    /// Copies the world's SQLite database to `legacy` and its store as `store` says, both relative to
    /// `directory` unless absolute: what `demo seed --into sqlite:LEGACY [--firestore embedded:STORE]` leaves.
    public func copy(
        into directory: String, legacy: String = "legacy.sqlite", store: Store = .besideLegacy
    ) async throws {
        let seeded = try await SeededWorlds.shared.sqlite(self)
        let legacyPath = Self.resolve(legacy, in: directory)
        try SeededWorlds.copyDatabaseFile(seeded.legacy, to: legacyPath)
        if let storePath = Self.storePath(store, legacy: legacyPath, in: directory) {
            try SeededWorlds.copyDatabaseFile(seeded.store, to: storePath)
        }
    }

    /// Runs `body` with the URL of a fresh PostgreSQL database holding the world (a template copy, dropped
    /// afterwards), its store copied as `store` says (`.besideLegacy` is `demo-firestore.sqlite`, the
    /// seed's default for PostgreSQL).
    public func withCopiedDatabase<T>(
        store: Store = .none, in directory: String, _ body: (String) async throws -> T
    ) async throws -> T {
        let seeded = try await SeededWorlds.shared.postgres(self)
        let storePath: String? =
            switch store {
            case .besideLegacy: Self.resolve("demo-firestore.sqlite", in: directory)
            case .at(let path): Self.resolve(path, in: directory)
            case .none: nil
            }
        if let storePath { try SeededWorlds.copyDatabaseFile(seeded.store, to: storePath) }
        return try await TestPostgres.withCopiedDatabase(of: seeded.template, body)
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : "\(directory)/\(path)"
    }

    static func storePath(_ store: Store, legacy: String, in directory: String) -> String? {
        switch store {
        case .besideLegacy:
            (legacy.hasSuffix(".sqlite") ? String(legacy.dropLast(".sqlite".count)) : legacy) + "-firestore.sqlite"
        case .at(let path): resolve(path, in: directory)
        case .none: nil
        }
    }
}
