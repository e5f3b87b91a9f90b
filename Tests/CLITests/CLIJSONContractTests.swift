import CutoverSupport
import Foundation
import TestSupport
import Testing

/// The one JSON contract (README, "JSON output"): every command prints, under `--json`, one envelope on
/// standard output — its result or its error — and the envelope validates against the command's schema
/// in schemas/, checked by a real JSON Schema validator (Debian's python3-jsonschema), not by this test.
// Not serialized: each test runs in a directory of its own and only reads schemas/; serialized, the sixty
// runs of everyCommandsOutputValidatesAgainstItsSchema began only after the dump-help test had its turn.
struct CLIJSONContractTests {
    /// schemas/ in the repository.
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas").path

    /// One run's output, the schema it must satisfy, and what its envelope must say.
    struct Case {
        let words: [String]
        let arguments: [String]
        let exitCode: Int32
        let stdout: String
        let stderr: String
    }

    /// Every command in `cutover --help`'s tree (walked through ArgumentParser's own dump, so a new
    /// command is found without this test naming it) takes `--json` and has a schema; no schema is left
    /// for a command that is gone.
    @Test func everyCommandTakesJSONAndHasASchema() async throws {
        let dump = try await CutoverBinary.run(["--experimental-dump-help"])
        #expect(dump.exitCode == 0, "\(dump.stderr)")
        let tool = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var leaves: [(words: [String], arguments: [String])] = []
        func walk(_ command: [String: Any], _ words: [String]) {
            let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).filter {
                $0["commandName"] as? String != "help"  // ArgumentParser's own `help`, not a cutover command
            }
            if subcommands.isEmpty {
                let names = (command["arguments"] as? [[String: Any]] ?? []).flatMap {
                    ($0["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                }
                leaves.append((words, names))
            }
            for subcommand in subcommands {
                walk(subcommand, words + [subcommand["commandName"] as? String ?? "?"])
            }
        }
        walk(try #require(tool["command"] as? [String: Any]), [])
        #expect(leaves.count >= 19, "\(leaves.map(\.words))")
        var expected: Set<String> = ["cutover.envelope.schema.json"]
        for leaf in leaves {
            let file = "cutover.\(leaf.words.joined(separator: ".")).schema.json"
            expected.insert(file)
            #expect(leaf.arguments.contains("json"), "cutover \(leaf.words.joined(separator: " ")) has no --json")
            let path = "\(Self.schemas)/\(file)"
            #expect(FileManager.default.fileExists(atPath: path), "no schema \(file)")
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let properties = schema["properties"] as? [String: Any]
            #expect(
                (properties?["format"] as? [String: Any])?["const"] as? String
                    == "cutover.\(leaf.words.joined(separator: "."))", "\(file)")
            #expect(
                (properties?["command"] as? [String: Any])?["const"] as? String == leaf.words.joined(separator: " "),
                "\(file)")
        }
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.schemas))
        #expect(present == expected, "schemas without a command: \(present.subtracting(expected).sorted())")
    }

    /// The error envelope's `code` names exactly the exit codes an error can end with: every code but 0.
    @Test func errorCodesAreTheExitCodeNames() throws {
        let data = try #require(FileManager.default.contents(atPath: "\(Self.schemas)/cutover.envelope.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let error = ((schema["$defs"] as? [String: Any])?["error"] as? [String: Any])?["properties"] as? [String: Any]
        let names = try #require((error?["code"] as? [String: Any])?["enum"] as? [String])
        #expect(names == ExitCode.allCases.filter { $0 != .success }.map { "\($0)" })
    }

    /// Each command run with `--json`, succeeding and failing, on the embedded default (SQLite and
    /// embedded Firestore stores): one envelope each, whose `exit_code` is the process's, valid against
    /// the command's schema.
    @Test func everyCommandsOutputValidatesAgainstItsSchema() async throws {
        try await withTemporaryDirectory { directory in
            var cases: [Case] = []
            // Some sixty runs, one after another: each goes ahead of single runs in the queue for a child slot.
            func run(_ words: [String], _ arguments: [String], environment: [String: String]? = nil) async throws {
                let outcome = try await ChildProcessSlots.asLongChain {
                    try await CutoverBinary.run(words + arguments, environment: environment, directory: directory)
                }
                cases.append(
                    Case(
                        words: words, arguments: arguments, exitCode: outcome.exitCode, stdout: outcome.stdout,
                        stderr: outcome.stderr))
            }
            let legacy = "sqlite:legacy.sqlite"
            let store = "embedded:legacy-firestore.sqlite"

            try await run(["demo", "seed"], ["--into", legacy, "--members", "120", "--queue-rows", "300", "--json"])
            try await run(["demo", "seed"], ["--into", "sqlite:other.sqlite", "--dry-run", "--json"])
            try await run(["demo", "seed"], ["--into", legacy, "--json"])  // exists: refused, 6
            try await run(["status"], ["--source", legacy, "--json"])
            try await run(["status"], ["--source", "sqlite:missing.sqlite", "--json"])
            try await run(
                ["snapshot"], ["--source", legacy, "--firestore", store, "--out", "s.sqlite", "--dry-run", "--json"])
            try await run(["snapshot"], ["--source", legacy, "--firestore", store, "--out", "s.sqlite", "--json"])
            try await run(["snapshot"], ["--source", legacy, "--out", "s.sqlite", "--json"])  // exists: refused, 6
            try await run(["parity", "rules"], ["--json"])
            let shipped = try await CutoverBinary.run(["parity", "rules"])
            try shipped.stdout.write(toFile: "\(directory)/rules.yaml", atomically: true, encoding: .utf8)
            try await run(["parity", "rules"], ["--check", "rules.yaml", "--json"])
            try "correspondences: [\n".write(toFile: "\(directory)/bad.yaml", atomically: true, encoding: .utf8)
            try await run(["parity", "rules"], ["--check", "bad.yaml", "--json"])
            try await run(["parity", "replay"], ["--snapshot", "s.sqlite", "--out", "parity", "--json"])
            try await run(["parity", "replay"], ["--snapshot", "missing.sqlite", "--out", "parity2", "--json"])
            // `parity show` needs a member's kennitala: the snapshot's register holds it.
            let register = try CLIArchiveSQLiteRestoreTests.shell(
                "sqlite3 s.sqlite 'SELECT ssn FROM register_members ORDER BY member_id LIMIT 1'", in: directory)
            let kennitala = register.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(register.status == 0 && kennitala.count == 10, "\(register.output)")
            try await run(["parity", "show"], ["--snapshot", "s.sqlite", "--member", kennitala, "--json"])
            try await run(["parity", "show"], ["--snapshot", "s.sqlite", "--member", "0000000000", "--json"])  // 7
            // verify's view of one member: from the snapshot's register and documents, and live.
            try await run(
                ["parity", "show"], ["--register", "--snapshot", "s.sqlite", "--member", kennitala, "--json"])
            try await run(
                ["parity", "show"],
                ["--register", "--source", legacy, "--target", store, "--member", kennitala, "--json"])
            try await run(
                ["drain"], ["--source", legacy, "--target", store, "--dry-run", "--member", kennitala, "--json"])
            try await run(["drain"], ["--source", legacy, "--target", store, "--dry-run", "--json"])
            try await run(["drain"], ["--source", legacy, "--json"])  // no target: a usage error inside run()
            try await run(["drain"], ["--source", legacy, "--target", store, "--no-such-flag", "--json"])
            try await run(
                ["drain"], ["--source", legacy, "--target", store, "--out", "drain", "--include-failed", "--json"])
            try await run(["verify"], ["--source", legacy, "--target", store, "--out", "verify", "--json"])
            try await run(
                ["verify"], ["--source", legacy, "--target", store, "--out", "v1", "--member", kennitala, "--json"])
            try await run(
                ["verify"], ["--source", "sqlite:missing.sqlite", "--target", store, "--out", "v2", "--json"])
            try await run(["archive", "create"], ["--snapshot", "s.sqlite", "--out", "a.tar.gz", "--json"])
            try await run(["archive", "create"], ["--snapshot", "missing.sqlite", "--out", "b.tar.gz", "--json"])
            try await run(["archive", "list"], ["a.tar.gz", "--json"])
            try await run(["archive", "list"], ["missing.tar.gz", "--json"])
            try await run(["archive", "verify"], ["a.tar.gz", "--json"])
            try await run(["archive", "verify"], ["missing.tar.gz", "--json"])  // a result: not valid, 4
            try await run(["archive", "verify"], ["--json"])  // no archive named: usage
            try await run(["archive", "extract"], ["a.tar.gz", "--to", "bag", "--json"])
            try await run(["archive", "extract"], ["a.tar.gz", "--as-snapshot", "rebuilt.sqlite", "--json"])
            try await run(["archive", "extract"], ["missing.tar.gz", "--to", "bag2", "--json"])
            try await run(["restore"], ["--archive", "a.tar.gz", "--into", "sqlite:back.sqlite", "--json"])
            try await run(["restore"], ["--archive", "missing.tar.gz", "--into", "sqlite:back2.sqlite", "--json"])
            try await run(
                ["retire"], ["--source", legacy, "--archive", "a.tar.gz", "--parity", "parity/parity.json", "--json"])
            try await run(["retire"], ["--source", legacy, "--json"])  // --archive missing: usage
            try await run(["rehearse"], ["--members", "120", "--queue-rows", "300", "--out", "rehearsal", "--json"])
            try await run(["rehearse"], ["--members", "many", "--json"])
            // The ledger's checklist alone, and beside the queue's counts: one result either way.
            for source in [[], ["--source", legacy]] {
                try await run(["status"], ["--ledger", "rehearsal/ledger.sqlite", "--json"] + source)
                let steps = try DecodedOutput.result(LedgerChecklistJSON.self, from: cases[cases.count - 1].stdout)
                #expect(steps.steps.count > 5, "\(cases[cases.count - 1].stdout)")
            }
            try await run(
                ["shadow", "run"],
                ["--source", legacy, "--record", "record.sqlite", "--shadow", "embedded:a.sqlite", "--json"])
            try await run(["shadow", "run"], ["--source", legacy, "--shadow", "embedded:a.sqlite", "--json"])
            try await run(
                ["shadow", "compare"],
                [
                    "--source", legacy, "--record", "record.sqlite", "--path-a", "embedded:a.sqlite", "--path-b",
                    "embedded:b.sqlite", "--since", "2020-01-01T00:00:00Z", "--out", "shadow", "--json",
                ])
            try await run(["shadow", "compare"], ["--record", "record.sqlite", "--json"])
            try await run(["demo", "nightly-run"], ["--source", legacy, "--firestore", store, "--dry-run", "--json"])
            try await run(["demo", "nightly-run"], ["--source", legacy, "--json"])  // no store
            try await run(
                ["shadow", "serve"], ["--record", "served.sqlite", "--json"],
                environment: CutoverBinary.cleanEnvironment())
            try await run(["firestore", "serve"], ["--port", "70000", "--data", "served-store.sqlite", "--json"])
            try "source: [\n".write(toFile: "\(directory)/bad-config.yaml", atomically: true, encoding: .utf8)
            try await run(["status"], ["--config", "bad-config.yaml", "--json"])
            // The servers: the envelope comes once they listen; they serve on until stopped.
            for (words, arguments) in [
                (["firestore", "serve"], ["--port", "0", "--data", "served-store.sqlite", "--json"]),
                (["shadow", "serve"], ["--listen", "127.0.0.1:0", "--record", "served.sqlite", "--json"]),
            ] {
                let environment = CutoverBinary.cleanEnvironment(["SYNC_API_KEY": "contract-key"])
                let served = try ServedProcess(words + arguments, environment: environment, directory: directory)
                #expect(served.stop() == 0)
                cases.append(
                    Case(words: words, arguments: arguments, exitCode: 0, stdout: served.startOutput, stderr: ""))
            }

            var listed: [[String: String]] = []
            var withResult: Set<[String]> = []
            var withError: Set<[String]> = []
            for (index, item) in cases.enumerated() {
                let label = "cutover \((item.words + item.arguments).joined(separator: " ")): exit \(item.exitCode)"
                let envelope = try? DecodedOutput.decode(Envelope.self, from: item.stdout)
                #expect(
                    envelope != nil, "\(label): not one JSON envelope:\n\(item.stdout)\(item.stderr)")
                #expect(envelope?.exitCode == item.exitCode, "\(label)")
                #expect(envelope?.command == item.words.joined(separator: " "), "\(label)")
                #expect(envelope?.ok == (item.exitCode == 0), "\(label)")
                if envelope?.error != nil {
                    withError.insert(item.words)
                } else if envelope != nil {
                    withResult.insert(item.words)
                }
                let file = "\(directory)/output-\(index).json"
                try item.stdout.write(toFile: file, atomically: true, encoding: .utf8)
                listed.append([
                    "label": label, "output": file,
                    "schema": "\(Self.schemas)/cutover.\(item.words.joined(separator: ".")).schema.json",
                ])
            }
            // Every command is seen here reaching a result and stopping with an error.
            for words in Set(cases.map(\.words)) {
                #expect(withResult.contains(words), "no result for \(words)")
                #expect(withError.contains(words), "no error for \(words)")
            }
            let problems = try JSONSchemaValidator.validate(listed, schemas: Self.schemas, directory: directory)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// `shadow run --follow --json` prints one envelope per pass: NDJSON, one compact line each. The error
    /// that ends the run (here the queue table dropped between passes) is a line too, not an indented
    /// envelope a line reader would take as a dozen broken documents; every line validates against the
    /// command's schema.
    @Test func aFollowedShadowRunIsOneEnvelopePerLineItsErrorIncluded() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 20, queueRows: 40).copy(into: directory)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CutoverBinary.path)
            process.arguments = [
                "shadow", "run", "--source", "sqlite:legacy.sqlite", "--record", "record.sqlite", "--shadow",
                "embedded:a.sqlite", "--follow", "0.2", "--json",
            ]
            process.environment = CutoverBinary.cleanEnvironment()
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // A minute at most: a run that never stops must fail this test, not hang the suite.
            let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
            defer { watchdog.cancel() }
            var printed = Data()
            while !printed.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                printed.append(chunk)
            }
            let dropped = try CLIArchiveSQLiteRestoreTests.shell(
                "sqlite3 legacy.sqlite 'DROP TABLE membership_membersyncqueue'", in: directory)
            #expect(dropped.status == 0, "\(dropped.output)")
            printed.append(output.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            #expect(process.terminationStatus != 0 && process.terminationReason == .exit)

            let text = String(decoding: printed, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.last == "", "the stream ends with a newline")
            let envelopes = lines.dropLast()
            #expect(envelopes.count >= 2, "\(text)")
            var listed: [[String: String]] = []
            for (index, line) in envelopes.enumerated() {
                let envelope = try? DecodedOutput.decode(Envelope.self, from: line)
                #expect(envelope != nil, "line \(index + 1) is not one envelope: \(line)")
                let last = index == envelopes.count - 1
                #expect((envelope?.error != nil) == last, "only the last line is the error: \(line)")
                #expect(envelope?.exitCode == (last ? process.terminationStatus : 0), "\(line)")
                let file = "\(directory)/line-\(index).json"
                try line.write(toFile: file, atomically: true, encoding: .utf8)
                listed.append([
                    "label": "shadow run --follow, line \(index + 1)", "output": file,
                    "schema": "\(Self.schemas)/cutover.shadow.run.schema.json",
                ])
            }
            let problems = try JSONSchemaValidator.validate(listed, schemas: Self.schemas, directory: directory)
            #expect(problems.isEmpty, "\(problems)")

            // A usage error of a followed run is owed a line as well: it is the whole stream.
            let refused = try await CutoverBinary.run(
                [
                    "shadow", "run", "--source", "sqlite:legacy.sqlite", "--record", "r.sqlite", "--shadow",
                    "embedded:b.sqlite", "--follow=nan", "--json",
                ],
                environment: CutoverBinary.cleanEnvironment(), directory: directory)
            #expect(refused.exitCode == 64)
            #expect(refused.stdout.hasSuffix("}\n") && refused.stdout.dropLast().firstIndex(of: "\n") == nil)
            #expect((try? DecodedOutput.decode(Envelope.self, from: refused.stdout))?.error != nil, "\(refused)")
        }
    }

    /// What every envelope has.
    struct Envelope: Decodable {
        var command: String
        var ok: Bool
        var exitCode: Int32
        var error: DecodedOutput.Failure.Detail?
    }
}
