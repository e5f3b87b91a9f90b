import Foundation
import TestSupport
import Testing

@testable import CutoverCLI

/// The two servers' options (issue 20's review): only what a server uses — `--json`, `--log-level`/`-v`
/// and `--config` — and their info default for the log level kept in one place, their option group,
/// which the command line and the configuration file's fill both go through.
struct ServerOptionsTests {
    static var servers: [(name: String, parse: ([String]) throws -> ServerOutputOptions)] {
        [
            ("firestore serve", { try CutoverCommand.Firestore.Serve.parse(["--data", "x.sqlite"] + $0).output }),
            ("shadow serve", { try CutoverCommand.Shadow.Serve.parse(["--record", "r.sqlite"] + $0).output }),
        ]
    }

    @Test func theServersOfferNoOptionTheyWouldIgnore() throws {
        let helps = [
            ("firestore serve", CutoverCommand.Firestore.Serve.helpMessage(columns: 200)),
            ("shadow serve", CutoverCommand.Shadow.Serve.helpMessage(columns: 200)),
        ]
        for (name, help) in helps {
            for ignored in ["--unmask", "--progress", "--quiet", "-q,"] {
                #expect(!help.contains(ignored), "\(name) offers \(ignored)")
            }
            for used in ["--json", "--log-level", "--verbose", "--config"] {
                #expect(help.contains(used), "\(name) lacks \(used)")
            }
            #expect(help.contains("default: info, for the access line of each request"), "\(name)")
        }
        for (name, parse) in Self.servers {
            for ignored in [["--unmask"], ["-q"], ["--progress", "plain"]] {
                #expect(throws: (any Error).self, "\(name) \(ignored)") { try parse(ignored) }
            }
        }
        // The other commands keep theirs, and their warning default.
        let status = CutoverCommand.Status.helpMessage(columns: 200)
        #expect(status.contains("--unmask") && status.contains("--progress") && status.contains("default: warning)"))
    }

    @Test func theServersLogFromInfoUnlessTheCommandLineOrTheFileSaysOtherwise() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/cutover.yaml"
            // The file is shared with the other commands: its unmask and quiet are no error here.
            try "unmask: true\nquiet: true\njson: false\n".write(toFile: path, atomically: true, encoding: .utf8)
            let silentFile = try ConfigurationFile(path: path)
            try "log-level: error\n".write(toFile: path, atomically: true, encoding: .utf8)
            let errorFile = try ConfigurationFile(path: path)
            for (name, parse) in Self.servers {
                #expect(try parse([]).effectiveLevel == .info, "\(name)")
                var filled = try parse([])
                filled.fill(from: silentFile)
                #expect(filled.effectiveLevel == .info && !filled.json, "\(name)")
                filled = try parse([])
                filled.fill(from: errorFile)
                #expect(filled.effectiveLevel == .error, "\(name): the file's level")
                filled = try parse(["--log-level", "debug"])
                filled.fill(from: errorFile)
                #expect(filled.effectiveLevel == .debug, "\(name): the command line wins")
                filled = try parse(["-v"])
                filled.fill(from: errorFile)
                #expect(filled.effectiveLevel == .info, "\(name): -v is info, whatever the file says")
            }
        }
    }
}
