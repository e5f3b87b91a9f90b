import ArgumentParser
import CutoverCore
import CutoverDemo
import CutoverSupport
import LegacySync

extension CutoverCommand.Demo {
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the legacy schema and fill it with deterministic demo data.",
            discussion: """
                Creates the member register (membership_comrade and its contact, address, union and title \
                tables) and the queue table membership_membersyncqueue as Django makes them, then fills them: \
                the same --seed always gives the same data. The queue history carries every defect of the \
                legacy nightly run: synced rows, fresh and stranded pending rows, failed rows with retry counts, \
                orphan deletes (one for SSN 0103097930), updates whose fields Path A dropped, 9999 placeholders.

                It also fills a document store as the legacy system left it: members documents as Path A wrote \
                them (and as Path B's webhook wrote those changed after the last successful run), sync_logs for \
                every nightly run (failed ones and the older member_sync type included) and portal edits in \
                sync_queue in both naming styles. By default that is an embedded store beside an SQLite \
                database (legacy.sqlite → legacy-firestore.sqlite) or demo-firestore.sqlite for PostgreSQL; \
                --firestore names another (a local server, or a Firestore URL), --no-firestore skips it.

                The last successful nightly run of the demo completed at 2025-11-24T03:30:07.412Z; `cutover \
                status` finds it in sync_logs (--firestore) or takes it from --last-run.

                Examples:
                  cutover demo seed --into sqlite:legacy.sqlite
                  cutover demo seed --into postgresql://app@127.0.0.1:5432/register \\
                      --members 100000 --queue-rows 1000000
                  cutover demo seed --into sqlite:old.sqlite --flavour handwritten
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Where: sqlite:PATH (created if missing), postgresql://… or a conninfo string.", valueName: "URL"))
        var into: String

        @Option(name: .long, help: "Random seed: the same seed gives the same data.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Members in the register (2,174 as on record; up to about 3.6 million).")
        var members: Int = 2_174

        @Option(name: .long, help: "Rows in the queue table.")
        var queueRows: Int = 3_000

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Queue table DDL: django (serial id, timestamptz), django-identity (identity id), or handwritten "
                    + "(timestamp without time zone, nullable columns, defaults, a wider ssn with hyphenated values).",
                valueName: "FLAVOUR"))
        var flavour = DemoSchema.Flavour.django

        @Option(name: .long, help: ArgumentHelp("The queue table, as TABLE or SCHEMA.TABLE.", valueName: "NAME"))
        var table: String = "public.membership_membersyncqueue"

        @OptionGroup var firestore: FirestoreOptions

        @Flag(name: .long, help: "Seed the legacy database only, no Firestore documents.")
        var noFirestore = false

        @Flag(
            name: .long,
            help: "Drop and recreate the demo tables (and demo collections) when they exist (otherwise refused).")
        var replace = false

        @Flag(name: .long, help: "Print what would be created and write nothing.")
        var dryRun = false

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionRange.count(members, "--members", atLeast: 0)
            try OptionRange.count(queueRows, "--queue-rows", atLeast: 0)
        }

        func run() async throws {
            let created = CreatedByThisRun()
            try await CommandRunner.run(masker: output.masker, removingOnFailure: created) {
                var plan = DemoSeeder.Plan()
                plan.seed = seed
                plan.members = members
                plan.queueRows = queueRows
                plan.flavour = flavour
                plan.table = try QueueTableName(parsing: table)
                plan.replace = replace
                let seeder = try DemoSeeder(plan: plan)
                let storeText =
                    noFirestore ? nil : firestore.firestore ?? DemoFirestoreSeeder.defaultStore(forLegacy: into)
                if dryRun {
                    try LegacyDatabaseOpener.checkWritableTarget(into)
                    let target = into.hasPrefix("sqlite:") ? into : "the PostgreSQL database"
                    CommandRunner.printResult(
                        json: output.json,
                        .object([
                            "dry_run": true, "target": .string(target), "table": .string(plan.table.description),
                            "flavour": .string(plan.flavour.rawValue),
                            "members": .integer(Int64(plan.members)), "queue_rows": .integer(Int64(plan.queueRows)),
                            "seed": Int64(exactly: plan.seed).map { .integer($0) } ?? .string(String(plan.seed)),
                            "firestore": storeText.map { .string($0) } ?? .null,
                        ]),
                        text: seeder.describe(target: target) + "\n"
                            + (storeText.map { "  firestore     \($0): members, sync_logs, sync_queue\n" } ?? ""))
                    return 0
                }
                // A seed is all or nothing: a database or store it made is removed whole when it fails, even half
                // filled.
                try OutputPreflight.writableDatabase(into, for: "--into", created: created, whenFailed: .remove)
                try OutputPreflight.writableDatabase(
                    storeText, for: "--firestore", created: created, whenFailed: .remove)
                let store = noFirestore ? nil : try firestore.open(fallback: storeText)
                let database = try LegacyDatabaseOpener.open(into, create: true)
                // The two sides are independent (both are drawn from the seed): the documents are written
                // on another thread while the legacy database is loaded.
                // The shared display is thread-safe; --quiet and --progress have configured it.
                let progress: @Sendable (String) -> Void = { ProgressDisplay.shared.phase($0) }
                let documentsPlan = plan
                let documents = store.map { store in
                    Task { try await DemoFirestoreSeeder(plan: documentsPlan).run(into: store, progress: progress) }
                }
                let summary: DemoSeeder.Summary
                do {
                    summary = try seeder.run(into: database, progress: output.progress)
                } catch {
                    documents?.cancel()
                    _ = try? await documents?.value
                    throw error
                }
                let firestoreSummary = try await documents?.value
                if output.json {
                    var json = summary.json.objectValue ?? [:]
                    if let firestoreSummary, let store { json["firestore"] = firestoreSummary.json(store: store.label) }
                    JSONEnvelope.printResult(.object(json), exitCode: 0)
                } else {
                    CommandRunner.printOut(summary.text + (firestoreSummary.map { $0.text(store: store!.label) } ?? ""))
                }
                return 0
            }
        }
    }
}

extension CutoverCommand.Demo.Seed: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        // Demo documents go where --firestore says, or beside the database: never to the file's target.
        firestore.fillCredentials(from: configuration)
        output.fill(from: configuration)
    }
}
