import Foundation

/// The demo worlds of one test run: each seeded once, by the first test that asks for it, into a directory
/// of the run's own; the tests that ask while it is being seeded wait for that one seed.
///
/// SQLite worlds are kept as files and copied. PostgreSQL worlds are kept as databases that the copies are
/// made from (`CREATE DATABASE … TEMPLATE`, which PostgreSQL refuses while anything is connected to the
/// template: nothing is, once the seed has exited; copies made at the same time are fine, eight at once
/// tried). Both are removed when the test process exits.
actor SeededWorlds {
    static let shared = SeededWorlds()

    struct SQLiteWorld: Sendable {
        let legacy: String
        let store: String
    }

    struct PostgresWorld: Sendable {
        /// The URL of the database the copies are made from.
        let template: String
        let store: String
    }

    private var sqliteWorlds: [DemoWorld: Task<SQLiteWorld, any Error>] = [:]
    private var postgresWorlds: [DemoWorld: Task<PostgresWorld, any Error>] = [:]

    func sqlite(_ world: DemoWorld) async throws -> SQLiteWorld {
        if let seeding = sqliteWorlds[world] { return try await seeding.value }
        let seeding = Task {
            let directory = try Self.freshDirectory(for: world, engine: "sqlite")
            let seeded = SQLiteWorld(legacy: "\(directory)/legacy.sqlite", store: "\(directory)/store.sqlite")
            try await Self.seed(world, into: "sqlite:\(seeded.legacy)", store: seeded.store, directory: directory)
            return seeded
        }
        sqliteWorlds[world] = seeding
        return try await seeding.value
    }

    func postgres(_ world: DemoWorld) async throws -> PostgresWorld {
        if let seeding = postgresWorlds[world] { return try await seeding.value }
        let seeding = Task {
            let directory = try Self.freshDirectory(for: world, engine: "postgresql")
            let name = try TestPostgres.createDatabase()
            RunCleanup.drop(database: name)
            let seeded = PostgresWorld(template: TestPostgres.url(database: name), store: "\(directory)/store.sqlite")
            try await Self.seed(world, into: seeded.template, store: seeded.store, directory: directory)
            return seeded
        }
        postgresWorlds[world] = seeding
        return try await seeding.value
    }

    /// Copies an SQLite database file (and its write-ahead log, if the seed left one) with its mode: files
    /// holding personal data are 0600, and a copy must be no more readable than the seed's own file.
    static func copyDatabaseFile(_ source: String, to destination: String) throws {
        let files = FileManager.default
        try files.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] where files.fileExists(atPath: source + suffix) {
            try files.copyItem(atPath: source + suffix, toPath: destination + suffix)
            let mode = try files.attributesOfItem(atPath: source + suffix)[.posixPermissions]
            try files.setAttributes([.posixPermissions: mode as Any], ofItemAtPath: destination + suffix)
        }
    }

    private static func seed(_ world: DemoWorld, into target: String, store: String, directory: String) async throws {
        let seeded = try await CutoverBinary.run(
            ["demo", "seed", "--into", target, "--firestore", "embedded:\(store)", "--quiet"] + world.seedOptions,
            environment: CutoverBinary.cleanEnvironment(), directory: directory)
        guard seeded.exitCode == 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSLocalizedDescriptionKey: "seeding \(world) failed (\(seeded.exitCode)): \(seeded.stderr)"])
        }
    }

    // MARK: - The run's own directory and databases

    /// Created on first use; removed when the test process exits (`RunCleanup`).
    private static let root: String = {
        let path = NSTemporaryDirectory() + "cutover-test-worlds-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        RunCleanup.remove(directory: path)
        return path
    }()

    private static func freshDirectory(for world: DemoWorld, engine: String) throws -> String {
        let name =
            "\(engine)-m\(world.members)-q\(world.queueRows)-\(world.flavour)" + (world.seed.map { "-s\($0)" } ?? "")
        let path = "\(root)/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
