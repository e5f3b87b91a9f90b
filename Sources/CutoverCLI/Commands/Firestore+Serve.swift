import ArgumentParser
import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LocalServers
import Logging

extension CutoverCommand.Firestore {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve an embedded document store over Firestore's REST v1 wire format.",
            discussion: """
                A stand-in for Firestore where the real one cannot run: get, list, patch, delete, batchGet, \
                runQuery and commit under /v1/projects/PROJECT/databases/(default)/documents, the emulator's \
                reset (DELETE /emulator/v1/projects/PROJECT/databases/(default)/documents), Firestore's JSON \
                shapes, status codes and error bodies. Like Google's emulator it serves any project id, each \
                its own namespace: --project's documents live in the --data file, another project's in a \
                file beside it (firestore.sqlite → firestore.PROJECT.sqlite), and the reset empties one project. Point \
                any --firestore/--target at http://HOST:PORT, or set \
                FIRESTORE_EMULATOR_HOST=HOST:PORT for other tools, to dry-run against it.

                Fault injection for drills and tests: --fail-rate 503=0.2,429=0.05 answers that fraction of \
                requests with that status; --latency adds delay; --drop-rate cuts connections mid-response; \
                --malformed-rate answers with a body that is not JSON. \
                With --require-auth every request needs `Authorization: Bearer TOKEN` (TOKEN from \
                $CUTOVER_LOCAL_TOKEN, default local-access-token), and POST /oauth2/token issues TOKEN for \
                service-account JWT grants and authorized_user refresh grants (a credential file's token_uri), \
                and GET /computeMetadata/v1/… (with Metadata-Flavor: Google) answers as a Google Cloud metadata \
                server would, TOKEN and --project (GCE_METADATA_HOST=HOST:PORT), so every credential's flow can be \
                dry-run too.

                Prints `listening on http://HOST:PORT` once ready; stops cleanly on SIGINT or SIGTERM. GET /healthz \
                and GET /metrics (Prometheus's text format: requests, latency, refusals by reason, injected \
                faults) are served without a token and are never faulted. Each request is logged to standard \
                error as one access line (method, route template, status, duration; never a body, token or \
                document id) at info, the default --log-level here.

                Examples:
                  cutover firestore serve --port 8080 --data firestore.sqlite
                  cutover firestore serve --port 0 --data drill.sqlite --fail-rate 503=0.2 --latency 0.005
                """)

        @Option(help: "Port to listen on (0 picks a free one).")
        var port = 8080

        @Option(help: "Address to bind (loopback by default).")
        var host = "127.0.0.1"

        @Option(
            help: ArgumentHelp("The embedded store file to serve (created if missing).", valueName: "FILE"),
            completion: .file())
        var data: String

        @Option(help: "The project id whose documents the --data file holds (others get files beside it).")
        var project = "demo-cutover"

        @Option(
            help: ArgumentHelp(
                "Answer a fraction of requests with an HTTP error, e.g. 503=0.2,429=0.05.", valueName: "CODE=FRACTION,…"
            ))
        var failRate: String?

        @Option(help: ArgumentHelp("Seconds of latency added to every request.", valueName: "SECONDS"))
        var latency: Double = 0

        @Option(help: ArgumentHelp("Fraction of requests whose connection is cut mid-response.", valueName: "FRACTION"))
        var dropRate: Double = 0

        @Option(
            help: ArgumentHelp("Fraction of requests answered 200 with a body that is not JSON.", valueName: "FRACTION")
        )
        var malformedRate: Double = 0

        @Option(help: ArgumentHelp("Retry-After seconds sent with injected failures.", valueName: "SECONDS"))
        var retryAfter: Int?

        @Flag(help: "Require `Authorization: Bearer $CUTOVER_LOCAL_TOKEN` on every request (401 otherwise).")
        var requireAuth = false

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var output: ServerOutputOptions

        func validate() throws {
            do {
                if let failRate { _ = try FaultInjection.parseRates(failRate) }
            } catch {
                throw ValidationError("--fail-rate: \(error)")
            }
            try OptionRange.fraction(dropRate, "--drop-rate")
            try OptionRange.fraction(malformedRate, "--malformed-rate")
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            // Slept before every answer, in nanoseconds: an hour is plenty, 1e300 would trap.
            try OptionRange.seconds(latency, "--latency", maximum: 3600)
            if let retryAfter { try OptionRange.count(retryAfter, "--retry-after", atLeast: 0) }
        }

        func run() async throws {
            InterruptCleanup.handOverToServer()  // the server stops gracefully on SIGINT/SIGTERM itself
            let created = CreatedByThisRun()
            try await CommandRunner.run(removingOnFailure: created) {
                // A server that cannot open its store fails before it listens, and leaves no empty store behind.
                try OutputPreflight.writableFile(data, for: "--data", created: created)
                var options = FirestoreHTTPServer.Options()
                options.host = host
                options.port = port
                // Checked in validate().
                if let failRate { options.faults.failureRates = try FaultInjection.parseRates(failRate) }
                options.faults.latency = latency
                options.faults.dropRate = dropRate
                options.faults.malformedRate = malformedRate
                options.faults.retryAfterSeconds = retryAfter
                let token = ProcessInfo.processInfo.environment["CUTOVER_LOCAL_TOKEN"] ?? "local-access-token"
                options.issuedToken = token
                if requireAuth { options.requiredToken = token }
                let store = try EmbeddedDocumentStore(path: data, database: DatabaseName(project: project))
                let label = "embedded:\(data)"
                try await FirestoreHTTPServer(store: store, options: options).run { port in
                    // Under --json the envelope comes once the server listens; the process then serves on.
                    CommandRunner.printResult(
                        json: output.json,
                        .object([
                            "listening": .string("http://\(host):\(port)"), "port": .integer(Int64(port)),
                            "store": .string(label), "project": .string(project),
                        ]),
                        text: "listening on http://\(host):\(port) (store \(label), project \(project))\n")
                }
                return 0
            }
        }
    }
}

extension CutoverCommand.Firestore.Serve: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        // The server serves a file of its own: of the shared options only its output ones apply (log-level,
        // json). The file is read all the same, so a mistake in it is reported here as everywhere.
        output.fill(from: configuration)
    }
}
