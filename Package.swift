// swift-tools-version:6.1
import PackageDescription

// Measured (issue 2 closing note): in release builds, dynamic exclusivity checks on the per-field
// hot path (COPY parsing, hashing, binding) cost ~40% of snapshot time. Debug builds, and so every
// test run, keep the checks. Measured again for issue 16 (100,000 queue rows, 7 interleaved runs):
// without the flag the snapshot's median was 0.54 s against 0.45 s with it, run-to-run spread 0.41–0.82 s.
// Kept; because a package that depends on a product whose targets use unsafeFlags is refused, the
// package offers no library product: nothing outside it uses the core.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

// The static Foundation's own libraries, after everything that needs them (static archives resolve left to
// right): the modules were compiled against the shared runtime, so their objects name only its libraries.
// libcurl comes from Debian's libcurl4-openssl-dev. Linked by the toolchain's lld: gold warned on every link that
// the static FoundationEssentials uses mktemp, and took twice as long (4.6 s against 2.3 s for the debug binary).
let staticFoundationDependencies = [
    "_CFURLSessionInterface", "curl", "CoreFoundation", "_FoundationCShims", "_FoundationCollections", "_FoundationICU",
].flatMap { ["-Xlinker", "-l\($0)"] }

// Dependencies point one way: cutover -> CutoverCLI -> CutoverDemo, LocalServers -> CutoverCore -> DocumentParity
// -> LegacySync -> Firestore -> CutoverSupport, and each of them -> thin wrappers -> C modules. Beside that line,
// formats that know nothing of the cutover: CutoverCore -> Reports, BagIt -> Tar -> CutoverSupport; and the
// snapshot file every step reads: CutoverCore -> Snapshots -> LegacySync; and the record of the steps' runs:
// CutoverCLI, CutoverCore -> CutoverLedger -> CutoverSupport.
// Only the wrappers import a C module; only the command lines (CutoverCLI, cutover-bench) import ArgumentParser.
let package = Package(
    name: "Cutover",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cutover", targets: ["cutover"]),
        .executable(name: "cutover-bench", targets: ["cutover-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The parity rules file is YAML; Yams keeps each node's line so errors can name it.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Already in the graph through Hummingbird: the commands log through it (--log-level).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The servers' GET /metrics: swift-metrics is already in the graph through Hummingbird; swift-prometheus
        // adds one small target (measured: see the README's "Health, metrics and access logs").
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libdeflate compresses whole buffers about 2.5x faster than zlib, and smaller (PLATFORM.md).
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        // glibc's mallopt: the drain limits malloc's arenas (Sources/CutoverCLI/Runtime/MallocArenas.swift).
        .systemLibrary(name: "CMalloc"),

        // Thin wrappers: each owns its C handles and has one public error type.
        .target(name: "Postgres", dependencies: ["CLibPQ"], swiftSettings: hotPathSettings),
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: hotPathSettings),
        .target(name: "Zlib", dependencies: ["CZlib"]),
        .target(name: "Digest", dependencies: ["CLibCrypto"]),
        // Writes archives; zlib stays for reading and for streams.
        .target(name: "Deflate", dependencies: ["CLibDeflate"]),

        // Foundations every layer shares: the JSON value model, timestamps, the error that stops a command
        // and its exit codes (SQLite's errors mapped in one place), the loggers, what a failed command removes,
        // the checks before irreversible work, the state files.
        .target(
            name: "CutoverSupport", dependencies: ["SQLite", "Digest", .product(name: "Logging", package: "swift-log")]),

        // Reports as documents (sections, facts, tables, a bar chart, a verdict badge), rendered to Markdown
        // and HTML, and the files they are written to.
        .target(name: "Reports", dependencies: ["CutoverSupport"]),

        // tar.gz: a deterministic writer (libdeflate) and a streaming, checking reader (zlib).
        .target(name: "Tar", dependencies: ["CutoverSupport", "Zlib", "Deflate", "Digest"]),

        // BagIt (RFC 8493): a bag laid out with its manifests, and a tar.gz bag verified against them and extracted.
        .target(name: "BagIt", dependencies: ["CutoverSupport", "Tar", "Digest"]),

        // Firestore: the value model, the `DocumentStore` contract with its embedded, overlay and scratch
        // stores, and the REST client with its credentials.
        .target(
            name: "Firestore",
            dependencies: ["CutoverSupport", "SQLite", "Digest", .product(name: "Logging", package: "swift-log")]),

        // The legacy system being retired (LEGACY.md): the queue table's contract, the legacy database on
        // PostgreSQL and SQLite, the member register, and the models of Path A and Path B.
        .target(name: "LegacySync", dependencies: ["CutoverSupport", "Firestore", "Postgres", "SQLite", "Digest"]),

        // The snapshot file (Snapshots/FORMAT.md): its format, manifest, canonical row hashing, and the check of
        // its content against the manifest. Written by the snapshot step; read by status, replay, archive, restore.
        .target(name: "Snapshots", dependencies: ["CutoverSupport", "Firestore", "LegacySync", "SQLite", "Digest"]),

        // Two member documents compared under the parity rules: the rules (YAML; the shipped default is
        // parity-rules.yaml), field patterns, the comparer and the differences it finds, the causes a member's
        // lineage gives them, the known differences of the two paths (LEGACY.md §6) and what a FAIL asks to
        // decide. One engine for parity replay, parity show, verify and shadow compare; hot in the replay, so
        // its release build keeps the core's setting.
        .target(
            name: "DocumentParity",
            dependencies: ["CutoverSupport", "Firestore", "LegacySync", .product(name: "Yams", package: "Yams")],
            resources: [.embedInCode("parity-rules.yaml")],
            swiftSettings: hotPathSettings),

        // The cutover's ledger (one SQLite file per cutover): every step's run, its verdict, exit code and the
        // files it wrote, the prerequisites a step checks before it starts, and the checklist `status --ledger`
        // prints. The commands and the rehearsal record through it; it knows no step's logic.
        .target(name: "CutoverLedger", dependencies: ["CutoverSupport", "SQLite"]),

        // The cutover's steps: snapshot, status, parity, drain, verify, archive, restore, retire, shadow,
        // the rehearsal and their reports.
        .target(
            name: "CutoverCore",
            dependencies: [
                "CutoverSupport", "Firestore", "LegacySync", "DocumentParity", "Snapshots", "CutoverLedger", "Reports",
                "Tar", "BagIt",
                "Postgres", "SQLite", "Zlib", "Deflate", "Digest", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPathSettings),

        // Demo data: a Django-shaped legacy database and its Firestore world, for rehearsals and tests.
        .target(name: "CutoverDemo", dependencies: ["CutoverSupport", "Firestore", "LegacySync", "CutoverCore"]),

        // The servers run on this machine: the HTTP base, the local Firestore stand-in
        // (`cutover firestore serve`) and the webhook receiver of the live dual-run (`cutover shadow serve`).
        .target(
            name: "LocalServers",
            dependencies: [
                "CutoverSupport", "Firestore", "LegacySync", "CutoverCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The command line: commands, option groups, the runner.
        .target(
            name: "CutoverCLI",
            dependencies: [
                "CutoverSupport", "Firestore", "LegacySync", "DocumentParity", "Snapshots", "CutoverLedger",
                "CutoverCore", "CutoverDemo", "LocalServers", "Tar", "BagIt", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // The configuration file is YAML (Runtime/ConfigurationFile).
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The `cutover` binary: CutoverCLI's entry point, with the Swift runtime and Foundation linked in. Measured
        // on the debug build the test suite starts about a thousand times (`perf stat -r 20`, CPU per run):
        // `cutover --version` 33 -> 26 ms, `cutover status` 63 -> 47 ms, the dynamic loader's symbol lookups having
        // been a third of a run; the CLI tests' CPU fell from 214 to 189 s. The test bundle imports CutoverCLI,
        // not this target, so it keeps the shared runtime Swift Testing needs.
        .executableTarget(
            name: "cutover", dependencies: ["CutoverCLI"],
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-use-ld=lld"] + staticFoundationDependencies, .when(platforms: [.linux]))
            ]
        ),

        // Benchmarks against the reference tools (pg_dump, psql | gzip, …); release builds only.
        .executableTarget(
            name: "cutover-bench",
            dependencies: [
                "CutoverSupport", "CutoverCore", "Tar", "SQLite", "Zlib", "Deflate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test helpers: the throwaway PostgreSQL from the environment, temporary directories.
        .target(
            name: "TestSupport",
            dependencies: ["CutoverSupport", "Postgres", "SQLite", "LegacySync", "CutoverCore", "CutoverDemo"],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "WrapperTests", dependencies: ["Postgres", "SQLite", "Zlib", "Deflate", "Digest", "TestSupport"]),
        .testTarget(
            name: "LegacySyncTests",
            dependencies: ["CutoverSupport", "Firestore", "LegacySync", "CutoverCore", "CutoverDemo"]),
        // In-process tests of the cutover's steps on SQLite and the embedded store.
        .testTarget(
            name: "CutoverCoreTests",
            dependencies: [
                "CutoverSupport", "Firestore", "LegacySync", "DocumentParity", "Snapshots", "CutoverLedger",
                "CutoverCore", "CutoverDemo", "Reports", "Tar", "BagIt", "Postgres", "SQLite", "Digest",
                "TestSupport",
            ]),
        // Steps against the throwaway PostgreSQL that scripts/test.sh starts.
        .testTarget(
            name: "PostgresIntegrationTests",
            dependencies: [
                "CutoverSupport", "Firestore", "LegacySync", "Snapshots", "CutoverCore", "CutoverDemo", "BagIt",
                "Postgres", "SQLite", "Digest",
                "TestSupport",
            ]),
        // The DocumentStore contract suite run against every store, the REST client and the local server.
        .testTarget(
            name: "FirestoreTests",
            dependencies: [
                "CutoverSupport", "Firestore", "CutoverCore", "LocalServers", "Digest", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Drives the built `cutover` binary as an operator would: exit codes, files left behind, output.
        .testTarget(
            name: "CLITests",
            dependencies: [
                "CutoverCLI", "CutoverSupport", "Firestore", "LegacySync", "Snapshots", "CutoverCore", "CutoverDemo",
                "Postgres",
                "SQLite",
                "TestSupport",
            ],
            // Golden files are read from the source tree by path (and rewritten there with UPDATE_GOLDEN=1).
            exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
