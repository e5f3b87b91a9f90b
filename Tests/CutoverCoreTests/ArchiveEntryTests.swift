import BagIt
import CutoverCore
import Foundation
import TestSupport
import Testing

/// `archive verify` (and so retire's archive gate) on bags that hold more than files and directories,
/// or whose `.sha256` sidecar is missing or names something else (issue 19, archives). The bags are
/// made with the system's `tar`, as an attacker or a careless hand would make them.
struct ArchiveEntryTests {
    func shell(_ command: String, in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(command)")
    }

    @Test(arguments: [
        ("ln -s /etc/passwd bag/data/link", "a symbolic link"),
        ("ln bag/data/a.txt bag/data/hard", "a hard link"),
        ("mkfifo bag/data/pipe", "a fifo"),
    ])
    func entriesOtherThanFilesAndDirectoriesMakeTheBagInvalid(make: String, named: String) async throws {
        try withTemporaryDirectory { directory in
            try shell(
                "mkdir -p bag/data && echo hi > bag/data/a.txt && \(make) && tar czf bag.tar.gz bag", in: directory)
            let report = try ArchiveVerifier(path: "\(directory)/bag.tar.gz").run()
            #expect(!report.isValid)
            #expect(report.problems.contains { $0.contains(named) }, "\(report.problems)")
        }
    }

    @Test func absolutePathsAndDotDotMakeTheBagInvalid() async throws {
        try withTemporaryDirectory { directory in
            try shell(
                "mkdir -p bag/data && echo hi > bag/data/a.txt && tar czf bag.tar.gz -P bag ../$(basename "
                    + "$PWD)/bag/data/a.txt",
                in: directory)
            let report = try ArchiveVerifier(path: "\(directory)/bag.tar.gz").run()
            #expect(!report.isValid)
            #expect(report.problems.contains { $0.contains("'..'") }, "\(report.problems)")
        }
    }

    @Test func aMissingSidecarIsNotedAndAWrongOneMakesTheArchiveInvalid() async throws {
        try withTemporaryDirectory { directory in
            try shell("mkdir -p bag/data && echo hi > bag/data/a.txt && tar czf bag.tar.gz bag", in: directory)
            let path = "\(directory)/bag.tar.gz"
            let missing = try ArchiveVerifier(path: path).run()
            #expect(missing.archiveDigestMatches == nil)
            #expect(missing.notes.contains { $0.contains("was not checked") })
            try shell("sha256sum bag.tar.gz | sed 's/bag.tar.gz/other.tar.gz/' > bag.tar.gz.sha256", in: directory)
            let otherName = try ArchiveVerifier(path: path).run()
            #expect(otherName.archiveDigestMatches == false && !otherName.isValid)
            try shell("echo \"$(printf '0%.0s' $(seq 64))  bag.tar.gz\" > bag.tar.gz.sha256", in: directory)
            let otherDigest = try ArchiveVerifier(path: path).run()
            #expect(otherDigest.archiveDigestMatches == false && !otherDigest.isValid)
            try shell("sha256sum bag.tar.gz > bag.tar.gz.sha256", in: directory)
            #expect(try ArchiveVerifier(path: path).run().archiveDigestMatches == true)
        }
    }
}
