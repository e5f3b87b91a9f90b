import Foundation
import TestSupport
import Testing

@testable import CutoverCLI

/// Which configuration file a command reads: `--config`, `CUTOVER_CONFIG`, `./cutover.yaml`, then
/// `$XDG_CONFIG_HOME/cutover/config.yaml` (`~/.config`); and the order of values: command line, file,
/// environment, default.
struct ConfigurationLocationTests {
    let everywhere: Set<String> = ["cutover.yaml", "/xdg/cutover/config.yaml", "/home/op/.config/cutover/config.yaml"]

    func find(_ option: String?, _ environment: [String: String], existing: Set<String>) -> ConfigurationLocation? {
        ConfigurationLocation.find(option: option, environment: environment) { existing.contains($0) }
    }

    @Test func theFirstFoundWins() {
        let environment = ["CUTOVER_CONFIG": "/named.yaml", "XDG_CONFIG_HOME": "/xdg", "HOME": "/home/op"]
        #expect(find("/flag.yaml", environment, existing: everywhere) == .init(path: "/flag.yaml", origin: .option))
        #expect(find(nil, environment, existing: everywhere) == .init(path: "/named.yaml", origin: .environment))
        var unnamed = environment
        unnamed["CUTOVER_CONFIG"] = ""
        #expect(find(nil, unnamed, existing: everywhere) == .init(path: "./cutover.yaml", origin: .workingDirectory))
        #expect(
            find(nil, unnamed, existing: everywhere.subtracting(["cutover.yaml"]))
                == .init(path: "/xdg/cutover/config.yaml", origin: .userConfiguration))
        #expect(find(nil, unnamed, existing: []) == nil)
    }

    @Test func xdgConfigHomeDefaultsToDotConfigAndMustBeAbsolute() {
        let existing: Set<String> = ["/home/op/.config/cutover/config.yaml"]
        for xdg in [nil, "", "relative/dir"] {
            var environment = ["HOME": "/home/op"]
            environment["XDG_CONFIG_HOME"] = xdg
            #expect(
                find(nil, environment, existing: existing)
                    == .init(path: "/home/op/.config/cutover/config.yaml", origin: .userConfiguration))
        }
        #expect(find(nil, [:], existing: existing) == nil)
    }

    @Test func everySharedOptionHasAKeyAndBadValuesNameTheirLine() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/c.yaml"
            try "source: sqlite:a.sqlite\nunmask: yes\n".write(toFile: path, atomically: true, encoding: .utf8)
            let refused = #expect(throws: (any Error).self) { try ConfigurationFile(path: path) }
            #expect(refused.map { "\($0)" }?.contains("line 2: unmask must be true or false") == true)
            try "log-level: loud\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: (any Error).self) { try ConfigurationFile(path: path) }
            try "max-step-age-hours: -1\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: (any Error).self) { try ConfigurationFile(path: path) }
            try """
            source: sqlite:a.sqlite
            target: embedded:b.sqlite
            table: main.queue
            rules: rules.yaml
            ledger: ledger.sqlite
            project: my-project
            credentials: key.json
            token-command: gcloud auth print-access-token
            max-step-age-hours: 48
            log-level: debug
            unmask: true
            quiet: true
            json: false

            """.write(toFile: path, atomically: true, encoding: .utf8)
            let file = try ConfigurationFile(path: path)
            #expect(Set(file.values.keys) == Set(ConfigurationFile.keys))

            var snapshot = try CutoverCommand.Snapshot.parse(["--project", "flag-project"])
            try snapshot.fill(from: file)
            #expect(snapshot.firestore.project == "flag-project", "the command line wins")
            #expect(snapshot.firestore.credentials == "key.json" && snapshot.firestore.tokenCommand != nil)
            #expect(snapshot.ledger.maxStepAgeHours == 48 && snapshot.output.logLevel == .debug)
            #expect(snapshot.output.unmask && snapshot.output.quiet && !snapshot.output.json)
            var verify = try CutoverCommand.Verify.parse(["--max-step-age-hours", "2", "--log-level", "error"])
            try verify.fill(from: file)
            #expect(verify.ledger.maxStepAgeHours == 2 && verify.output.logLevel == .error)
            #expect(verify.firestore.project == "my-project")
            // demo seed writes demo documents: never to the file's target.
            var seed = try CutoverCommand.Demo.Seed.parse(["--into", "sqlite:x.sqlite"])
            try seed.fill(from: file)
            #expect(seed.firestore.firestore == nil && seed.firestore.project == "my-project")
        }
    }
}

/// The same through the binary: the file found, the line that names it, and the order of values.
struct CLIConfigurationDiscoveryTests {
    static func seed(_ directory: String) async throws {
        try await DemoWorld(members: 20, queueRows: 40).copy(into: directory)
    }

    @Test func theWorkingDirectorysFileThenTheUsersAndWhichOneSaysSo() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.seed(directory)
            let xdg = "\(directory)/xdg"
            try FileManager.default.createDirectory(atPath: "\(xdg)/cutover", withIntermediateDirectories: true)
            try "source: sqlite:legacy.sqlite\njson: true\n".write(
                toFile: "\(xdg)/cutover/config.yaml", atomically: true, encoding: .utf8)
            let environment = CutoverBinary.cleanEnvironment(["XDG_CONFIG_HOME": xdg])

            let fromUser = try await CutoverBinary.run(["status"], environment: environment, directory: directory)
            #expect(fromUser.exitCode == 0, "\(fromUser.stderr)")
            #expect(fromUser.stderr.contains("configuration: \(xdg)/cutover/config.yaml (found in the user's"))
            #expect(fromUser.stdout.hasPrefix("{"), "json: true from the file")

            // ./cutover.yaml comes first; it names no json, so the text report.
            try "source: sqlite:legacy.sqlite\nunmask: true\n".write(
                toFile: "\(directory)/cutover.yaml", atomically: true, encoding: .utf8)
            let fromHere = try await CutoverBinary.run(["status"], environment: environment, directory: directory)
            #expect(fromHere.exitCode == 0, "\(fromHere.stderr)")
            #expect(fromHere.stderr.contains("configuration: ./cutover.yaml (found in the working directory)"))
            #expect(!fromHere.stdout.hasPrefix("{"))
            #expect(fromHere.stdout.contains("0103097930"), "unmask: true from the file")

            // ~/.config when XDG_CONFIG_HOME is unset.
            try FileManager.default.removeItem(atPath: "\(directory)/cutover.yaml")
            try FileManager.default.createDirectory(
                atPath: "\(directory)/home/.config", withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: "\(xdg)/cutover", toPath: "\(directory)/home/.config/cutover")
            let fromHome = try await CutoverBinary.run(
                ["status"], environment: CutoverBinary.cleanEnvironment(["HOME": "\(directory)/home"]),
                directory: directory)
            #expect(fromHome.exitCode == 0, "\(fromHome.stderr)")
            #expect(fromHome.stderr.contains("\(directory)/home/.config/cutover/config.yaml"))

            // --config /dev/null reads none: nothing names the source now.
            let none = try await CutoverBinary.run(
                ["status", "--config", "/dev/null"],
                environment: CutoverBinary.cleanEnvironment(["HOME": "\(directory)/home"]), directory: directory)
            #expect(none.exitCode == 64, "\(none.stderr)")
        }
    }

    /// Command line over the file over the environment: `--source` beats the file's source, and the file's
    /// beats the database PGDATABASE names (which would be refused here: there is no server).
    @Test func commandLineThenFileThenEnvironment() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.seed(directory)
            try "source: sqlite:missing.sqlite\n".write(
                toFile: "\(directory)/cutover.yaml", atomically: true, encoding: .utf8)
            let environment = CutoverBinary.cleanEnvironment([
                "PGDATABASE": "nowhere", "PGHOST": "127.0.0.1", "PGPORT": "1",
            ])
            let flag = try await CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--json"], environment: environment,
                directory: directory)
            #expect(flag.exitCode == 0, "\(flag.stderr)")
            let file = try await CutoverBinary.run(
                ["status", "--json"], environment: environment, directory: directory)
            // Under --json the error is the envelope on standard output.
            let said = file.stdout + file.stderr
            #expect(said.contains("missing.sqlite"), "the file's source, not PGDATABASE's: \(said)")
            #expect(!said.contains("127.0.0.1"))
            try FileManager.default.removeItem(atPath: "\(directory)/cutover.yaml")
            let environmentOnly = try await CutoverBinary.run(
                ["status", "--json"], environment: environment, directory: directory)
            #expect(environmentOnly.exitCode == 3, "PGDATABASE names a server that is not there")
        }
    }

    /// The file's `json: true` makes errors envelopes too, as `--json` does (one JSON object on standard
    /// output, nothing on standard error but the file's announcement); its `quiet: true` silences progress,
    /// and `parity rules` takes the file's output options like every other command.
    @Test func theFilesJSONAndQuietReachErrorsAndProgress() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.seed(directory)
            try "source: sqlite:missing.sqlite\njson: true\n".write(
                toFile: "\(directory)/cutover.yaml", atomically: true, encoding: .utf8)
            let failed = try await CutoverBinary.run(["status"], directory: directory)
            #expect(failed.exitCode != 0)
            let envelope = try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any]
            #expect(envelope?["ok"] as? Bool == false, "\(failed.stdout)")
            let message = (envelope?["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("missing.sqlite"), "\(failed.stdout)")
            #expect(!failed.stderr.contains("error:"), "the error is the envelope's: \(failed.stderr)")

            let rules = try await CutoverBinary.run(["parity", "rules"], directory: directory)
            #expect(rules.exitCode == 0, "\(rules.stderr)")
            #expect(rules.stdout.hasPrefix("{"), "json: true from the file reaches parity rules")

            try "source: sqlite:legacy.sqlite\nquiet: true\n".write(
                toFile: "\(directory)/cutover.yaml", atomically: true, encoding: .utf8)
            let quiet = try await CutoverBinary.run(
                ["snapshot", "--out", "quiet.sqlite", "--progress", "plain"], directory: directory)
            #expect(quiet.exitCode == 0, "\(quiet.stderr)")
            #expect(!quiet.stderr.contains("… "), "quiet: true from the file: \(quiet.stderr)")
            let loud = try await CutoverBinary.run(
                [
                    "snapshot", "--out", "loud.sqlite", "--progress", "plain", "--config", "/dev/null", "--source",
                    "sqlite:legacy.sqlite",
                ], directory: directory)
            #expect(loud.exitCode == 0, "\(loud.stderr)")
            #expect(loud.stderr.contains("… "), "without the file the same run shows progress: \(loud.stderr)")

            // A dry run refuses what the run would: an archive that is already there.
            try "old".write(toFile: "\(directory)/a.tar.gz", atomically: true, encoding: .utf8)
            let dry = try await CutoverBinary.run(
                ["snapshot", "--out", "new.sqlite", "--archive", "a.tar.gz", "--dry-run"], directory: directory)
            #expect(dry.exitCode == 6, "\(dry.stdout)\(dry.stderr)")
        }
    }
}
