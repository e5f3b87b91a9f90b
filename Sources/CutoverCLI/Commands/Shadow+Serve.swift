import ArgumentParser
import CutoverCore
import CutoverSupport
import Foundation
import LocalServers
import Logging

extension CutoverCommand.Shadow {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receive the webhook as sync_from_django does, and record every delivery.",
            discussion: """
                The webhook's contract (LEGACY.md §5): POST only (405), the key as `Authorization: Bearer KEY`, \
                `Token KEY` or the bare key (401), JSON {kennitala, action, data} (400 for bad JSON, a missing \
                kennitala or data, an unknown action). Every request is recorded in --record (SQLite) — \
                rejected ones with their reason — and committed before it is answered. Accepted deliveries are \
                then forwarded to --forward URL (a tee: the caller gets the real webhook's answer), or applied \
                with Path B's model to --target STORE, or only recorded. SIGINT/SIGTERM stop it gracefully: \
                requests in progress finish; nothing accepted is lost.

                GET /healthz answers 200 (503 when the record is gone, replaced or not writable) and GET \
                /metrics Prometheus's text format, without the key: neither carries personal data. Each request \
                is logged to standard error as one access line (method, route, status, duration; never a body, \
                key or kennitala) at info, the default --log-level here.

                The key comes from SYNC_API_KEY (as the legacy function read it) or --key-file FILE — never \
                from the command line.

                Example:
                  SYNC_API_KEY=… cutover shadow serve --listen 127.0.0.1:8090 --record shadow.sqlite \\
                      --target embedded:shadow-b.sqlite
                """)

        @Option(help: ArgumentHelp("Address to listen on, HOST:PORT (port 0 picks a free one).", valueName: "ADDR"))
        var listen = ListenAddress(host: "127.0.0.1", port: 8090)

        @Option(help: ArgumentHelp("The delivery record (SQLite).", valueName: "FILE"), completion: .file())
        var record: String

        @Option(help: ArgumentHelp("Forward accepted deliveries to the real webhook.", valueName: "URL"))
        var forward: String?

        @Option(help: ArgumentHelp("Apply accepted deliveries with Path B's model to this store.", valueName: "STORE"))
        var target: String?

        @Option(
            help: ArgumentHelp("Read the webhook key from this file instead of SYNC_API_KEY.", valueName: "FILE"),
            completion: .file())
        var keyFile: String?

        @OptionGroup var configurationFile: ConfigurationOptions

        @OptionGroup var firestore: FirestoreOptions

        @OptionGroup var output: ServerOutputOptions

        func validate() throws {
            guard forward == nil || target == nil else { throw ValidationError("give --forward or --target, not both") }
            if forward != nil { _ = try forwardURL() }
        }

        /// `--forward` as a URL: checked by `validate()`, read again by `run()` — never force-unwrapped.
        func forwardURL() throws -> URL? {
            guard let forward else { return nil }
            guard let url = URL(string: forward), url.scheme == "http" || url.scheme == "https",
                url.host?.isEmpty == false
            else {
                throw ValidationError("--forward must be an http(s) URL with a host, not '\(forward)'")
            }
            return url
        }

        func run() async throws {
            InterruptCleanup.handOverToServer()  // the server stops gracefully on SIGINT/SIGTERM itself
            let created = CreatedByThisRun()
            try await CommandRunner.run(removingOnFailure: created) {
                try OutputPreflight.writableFile(record, for: "--record", created: created)
                created.database(firestore.firestore ?? target)
                let key: String
                if let keyFile {
                    guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                        throw CutoverError(.input, "cannot read the key file \(keyFile)")
                    }
                    key = text.trimmingCharacters(in: .whitespacesAndNewlines)
                } else {
                    key = ProcessInfo.processInfo.environment["SYNC_API_KEY"] ?? ""
                }
                // A key of spaces is no key: it would let in any request that sends spaces.
                guard !key.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw CutoverError(
                        .input,
                        "no webhook key: set SYNC_API_KEY or give --key-file FILE (a key of only spaces is none)",
                        nextStep: "use the same key Django sends (its SYNC_API_KEY setting)")
                }
                let mode: ShadowReceiver.Mode
                if let forward = try forwardURL() {
                    mode = .forward(forward)
                } else if let store = try firestore.open(fallback: target) {
                    mode = .apply(store)
                } else {
                    mode = .recordOnly
                }
                let recording = try DeliveryRecording(path: record)
                let receiver = ShadowReceiver(recording: recording, key: key, mode: mode)
                let host = listen.host
                try await ShadowHTTPServer(receiver: receiver, host: host, port: listen.port).run { port in
                    // Under --json the envelope comes once the server listens; the process then serves on.
                    CommandRunner.printResult(
                        json: output.json,
                        .object([
                            "listening": .string("http://\(host):\(port)"), "port": .integer(Int64(port)),
                            "record": .string(record),
                        ]),
                        text: "listening on http://\(host):\(port) (recording into \(record))\n")
                }
                return 0
            }
        }
    }
}

extension CutoverCommand.Shadow.Serve: ConfiguredCommand {
    mutating func fill(from configuration: ConfigurationFile) throws {
        // The shadow store is named by --target alone: the file's target is the real one.
        firestore.fillCredentials(from: configuration)
        output.fill(from: configuration)
    }
}
