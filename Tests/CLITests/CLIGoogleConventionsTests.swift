import CutoverCore
import CutoverSupport
import Foundation
import Snapshots
import TestSupport
import Testing

/// Google's conventions through the binary: the project from `--project`, `GOOGLE_CLOUD_PROJECT`,
/// `GCLOUD_PROJECT`, `CLOUDSDK_CORE_PROJECT`; an empty `members` collection where the register has
/// members warned about by `status` and `snapshot` and refused by `drain` and `verify`, naming the
/// project; credential problems exiting 3, as the README says.
@Suite struct CLIGoogleConventionsTests {
    /// A demo register in `legacy.sqlite` whose documents are in project demo-cutover of the local server,
    /// which (as Google's emulator) keeps each project apart: another project there has no members.
    func withSeededServer(
        _ body: (String, String, ([String], [String: String]) async throws -> CutoverBinary.Outcome) async throws ->
            Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
            defer { server.stop() }
            func run(_ arguments: [String], _ environment: [String: String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(
                    arguments, environment: CutoverBinary.cleanEnvironment(environment), directory: directory)
            }
            let seeded = try await run(
                [
                    "demo", "seed", "--into", "sqlite:legacy.sqlite", "--firestore", server.url,
                    "--members", "40", "--queue-rows", "100", "--quiet",
                ], [:])
            #expect(seeded.exitCode == 0, "\(seeded.stderr)")
            try await body(directory, server.url, run)
        }
    }

    @Test func eachProjectVariableDecidesTheStoreAndAnEmptyOneIsWarnedAboutByStatusAndSnapshot() async throws {
        try await withSeededServer { _, store, run in
            let status = ["status", "--source", "sqlite:legacy.sqlite", "--firestore", store]
            let warning = "has no members documents in project"
            let plain = try await run(status, [:])
            #expect(!plain.stderr.contains(warning), "\(plain.stderr)")
            // Each variable on its own is read; a wrong project is named in the warning, and status still answers.
            for variable in ["GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"] {
                let wrong = try await run(status, [variable: "p-wrong"])
                #expect(wrong.stderr.contains("warning: \(store) projects/p-wrong/"), "\(variable): \(wrong.stderr)")
                #expect(wrong.stderr.contains("\(warning) p-wrong"), "\(variable): \(wrong.stderr)")
                #expect(wrong.exitCode == plain.exitCode, "a warning, not a failure")
                let right = try await run(status, [variable: "demo-cutover"])
                #expect(!right.stderr.contains(warning), "\(variable): \(right.stderr)")
            }
            // Google's order: GOOGLE_CLOUD_PROJECT before GCLOUD_PROJECT before CLOUDSDK_CORE_PROJECT; --project first.
            let ordered = [
                "GOOGLE_CLOUD_PROJECT": "demo-cutover", "GCLOUD_PROJECT": "p-second",
                "CLOUDSDK_CORE_PROJECT": "p-third",
            ]
            #expect(!(try await run(status, ordered).stderr.contains(warning)))
            let second = try await run(status, ordered.merging(["GOOGLE_CLOUD_PROJECT": ""]) { $1 })
            #expect(second.stderr.contains("\(warning) p-second"), "\(second.stderr)")
            let third = try await run(status, ["CLOUDSDK_CORE_PROJECT": "demo-cutover", "GCLOUD_PROJECT": "p-second"])
            #expect(third.stderr.contains("\(warning) p-second"), "GCLOUD_PROJECT comes before CLOUDSDK_CORE_PROJECT")
            #expect(
                !(try await run(status + ["--project", "demo-cutover"], ["GOOGLE_CLOUD_PROJECT": "p-wrong"]).stderr
                    .contains(
                        warning)))

            let snapshot = try await run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", store, "--out", "s.sqlite"],
                ["GOOGLE_CLOUD_PROJECT": "p-wrong"])
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            #expect(
                snapshot.stderr.contains("warning: \(store) projects/p-wrong/")
                    && snapshot.stderr.contains("\(warning) p-wrong"),
                "\(snapshot.stderr)")
        }
    }

    @Test func drainAndVerifyRefuseAnEmptyStoreNamingTheProjectUnlessForced() async throws {
        try await withSeededServer { directory, store, run in
            let wrong = ["GCLOUD_PROJECT": "p-wrong"]
            let verify = try await run(["verify", "--source", "sqlite:legacy.sqlite", "--target", store], wrong)
            #expect(verify.exitCode == ExitCode.connection.code, "\(verify.stderr)")
            #expect(verify.stderr.contains("has no members documents in project p-wrong"), "\(verify.stderr)")
            #expect(verify.stderr.contains("--project"))
            let drain = ["drain", "--source", "sqlite:legacy.sqlite", "--target", store, "--include-failed"]
            let refused = try await run(drain, wrong)
            #expect(refused.exitCode == ExitCode.connection.code, "\(refused.stderr)")
            #expect(refused.stderr.contains("project p-wrong"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain-journal.sqlite"))
            let forced = try await run(drain + ["--force"], wrong)
            #expect(forced.exitCode == 0, "\(forced.stderr)")
            #expect(
                forced.stderr.contains("FORCED past: \(store) projects/p-wrong/")
                    && forced.stderr.contains("project p-wrong"))
            // The right project drains without a word about it.
            let right = try await run(drain + ["--journal", "right.sqlite", "--out", "right"], [:])
            #expect(right.exitCode == 0 && !right.stderr.contains("no members documents"), "\(right.stderr)")
        }
    }

    /// The README's table says 3 for credentials missing or refused; the tool exits 3 for them.
    @Test func credentialProblemsExitThreeAsTheReadmeSays() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let line = try #require(readme.split(separator: "\n").first { $0.hasPrefix("| 3 | ") })
        #expect(line.contains("credentials missing or refused"))
        try await withSeededServer { directory, _, run in
            let status = ["status", "--source", "sqlite:legacy.sqlite", "--firestore", "firestore:my-project"]
            let missing = try await run(status, [:])
            #expect(missing.exitCode == 3, "\(missing.stderr)")
            #expect(missing.stderr.contains("no credential for firestore:my-project"))
            let unreadable = try await run(status, ["GOOGLE_APPLICATION_CREDENTIALS": "\(directory)/no-such-key.json"])
            #expect(unreadable.exitCode == 3, "\(unreadable.stderr)")
            #expect(unreadable.stderr.contains("cannot read the credential file"))
            try "{\"type\": \"external_account\"}".write(
                toFile: "\(directory)/odd.json", atomically: true, encoding: .utf8)
            let odd = try await run(status + ["--credentials", "odd.json"], [:])
            #expect(odd.exitCode == 3 && odd.stderr.contains("of type external_account"), "\(odd.stderr)")
            // Two explicit projects that disagree are a usage mistake.
            let clash = try await run(status + ["--project", "other"], [:])
            #expect(
                clash.exitCode == ExitCode.usage.code && clash.stderr.contains("name different projects"),
                "\(clash.stderr)")
        }
    }

    /// The case: an emulator (here the local server) reached by FIRESTORE_EMULATOR_HOST holds project
    /// p-live; GOOGLE_CLOUD_PROJECT names it, so the snapshot captures its members; without it, the default
    /// project is empty and the snapshot says so.
    @Test func theEmulatorIsReadInTheProjectTheEnvironmentNames() async throws {
        try await withTemporaryDirectory { directory in
            let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
            defer { server.stop() }
            let host = String(server.url.dropFirst("http://".count))
            func run(_ arguments: [String], _ environment: [String: String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(
                    arguments, environment: CutoverBinary.cleanEnvironment(environment), directory: directory)
            }
            let seeded = try await run(
                [
                    "demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "40", "--queue-rows", "100",
                    "--quiet",
                ],
                ["FIRESTORE_EMULATOR_HOST": host, "GOOGLE_CLOUD_PROJECT": "p-live"])
            #expect(seeded.exitCode == 0, "\(seeded.stderr)")
            let named = try await run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "named.sqlite"],
                ["FIRESTORE_EMULATOR_HOST": host, "GOOGLE_CLOUD_PROJECT": "p-live"])
            #expect(named.exitCode == 0 && !named.stderr.contains("no members documents"), "\(named.stderr)")
            let captured = try SnapshotFile(path: "\(directory)/named.sqlite").manifest
            #expect(
                (captured.table("firestore/members")?.rowCount ?? 0) >= 40, "every member's document, deleted ones too")
            #expect(captured.values["firestore_source"]?.contains("projects/p-live/") == true)
            let unnamed = try await run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "unnamed.sqlite"],
                ["FIRESTORE_EMULATOR_HOST": host])
            #expect(unnamed.stderr.contains("projects/demo-cutover/databases/(default)"), "\(unnamed.stderr)")
            #expect(unnamed.stderr.contains("has no members documents in project demo-cutover"), "\(unnamed.stderr)")
        }
    }
}
