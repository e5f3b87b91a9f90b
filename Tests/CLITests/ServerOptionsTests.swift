import Foundation
import TestSupport
import Testing

@testable import cutover

/// The two servers' options (issue 20's review): only what a server uses — `--json`, `--log-level`/`-v`
/// and `--config`.
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
        }
        for (name, parse) in Self.servers {
            for ignored in [["--unmask"], ["-q"], ["--progress", "plain"]] {
                #expect(throws: (any Error).self, "\(name) \(ignored)") { try parse(ignored) }
            }
        }
        // The other commands keep theirs.
        let status = CutoverCommand.Status.helpMessage(columns: 200)
        #expect(status.contains("--unmask") && status.contains("--progress"))
    }
}
