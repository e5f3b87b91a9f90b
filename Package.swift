// swift-tools-version:6.1
import PackageDescription

// Measured (issue 2 closing note): in release builds, dynamic exclusivity checks on the per-field
// hot path (COPY parsing, hashing, binding) cost ~40% of snapshot time. Debug builds, and so every
// test run, keep the checks.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

// Dependencies point one way: cutover (CLI) -> CutoverCore -> thin wrappers -> C modules.
// Only the wrappers import a C module; only the executable imports ArgumentParser.
let package = Package(
    name: "Cutover",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cutover", targets: ["cutover"]),
        .executable(name: "cutover-bench", targets: ["cutover-bench"]),
        .library(name: "CutoverCore", targets: ["CutoverCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The parity rules file is YAML; Yams keeps each node's line so errors can name it.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Already in the graph through Hummingbird: the commands log through it (--log-level).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Thin wrappers: each owns its C handles and has one public error type.
        .target(name: "Postgres", dependencies: ["CLibPQ"], swiftSettings: hotPathSettings),
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: hotPathSettings),
        .target(name: "Zlib", dependencies: ["CZlib"]),
        .target(name: "Digest", dependencies: ["CLibCrypto"]),

        // The domain: snapshot, status, demo data (and later drain, replay, archive, restore, retire).
        .target(
            name: "CutoverCore",
            dependencies: [
                "Postgres", "SQLite", "Zlib", "Digest", .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Parity/parity-rules.yaml")],
            swiftSettings: hotPathSettings),

        // The local Firestore stand-in (`cutover firestore serve`): Firestore's REST wire format over a store.
        .target(
            name: "FirestoreServer",
            dependencies: [
                "CutoverCore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // `cutover shadow serve`: the webhook's contract in front of a delivery record.
        .target(name: "ShadowServer", dependencies: ["CutoverCore", "FirestoreServer", .product(name: "Hummingbird", package: "hummingbird")]),

        .executableTarget(
            name: "cutover",
            dependencies: [
                "CutoverCore",
                "FirestoreServer",
                "ShadowServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks against the reference tools (pg_dump, psql | gzip, …); release builds only.
        .executableTarget(
            name: "cutover-bench",
            dependencies: ["CutoverCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Test helpers: the throwaway PostgreSQL from the environment, temporary directories.
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport"),
        .testTarget(name: "WrapperTests", dependencies: ["Postgres", "SQLite", "Zlib", "Digest", "TestSupport"]),
        .testTarget(
            name: "CutoverCoreTests", dependencies: ["CutoverCore", "Postgres", "SQLite", "Digest", "TestSupport"]),
        .testTarget(name: "FirestoreTests", dependencies: ["CutoverCore", "FirestoreServer", "Digest", "TestSupport"]),
        // Drives the built `cutover` binary as an operator would: exit codes, files left behind, output.
        .testTarget(name: "CLITests", dependencies: ["cutover", "CutoverCore", "Postgres", "SQLite", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
