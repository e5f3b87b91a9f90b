import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import TestSupport
import Testing

@testable import CutoverCore

/// The drain's two spools (issue 21 point 4): the unresolved rows hand out whole members however the
/// pages fall, and the rows' outcomes come back in row order with their counts; both files are private
/// and gone when their owner is.
struct DrainSpoolTests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    @Test(arguments: [1, 2, 3, 100])
    func membersComeWholeWhereverThePagesFall(pageRows: Int) throws {
        try withTemporaryDirectory { directory in
            let spool = try UnresolvedRowSpool(directory: directory, columns: 2, pageRows: pageRows)
            // A member of three rows straddles every page size below 3; NULL and "" stay apart.
            let appended: [(String, [String?])] = [
                ("0101702389", ["1", "a"]), ("0101702389", ["5", nil]), ("0101702389", ["9", ""]),
                ("0103097930", ["2", "b"]), ("1212121239", ["3", "c"]), ("1212121239", ["4", "d"]),
            ]
            try spool.filling {
                for (member, values) in appended { try spool.append(values, member: member) }
            }
            #expect(spool.rows == 6 && spool.members == 3)
            let first = try spool.next(2)
            #expect(first.map(\.kennitala) == ["0101702389", "0103097930"])
            #expect(first[0].rows == [["1", "a"], ["5", nil], ["9", ""]])
            #expect(first[1].rows == [["2", "b"]])
            let second = try spool.next(2)
            #expect(second.map(\.kennitala) == ["1212121239"] && second[0].rows == [["3", "c"], ["4", "d"]])
            #expect(try spool.next(2).isEmpty)
        }
    }

    @Test func theQueueSpoolIsPrivateAndRemoved() throws {
        try withTemporaryDirectory { directory in
            let spool = try UnresolvedRowSpool(directory: directory, columns: 1, pageRows: 10)
            try spool.filling { try spool.append(["x"], member: "0101702389") }
            let folder = (spool.path as NSString).deletingLastPathComponent
            #expect(try mode(spool.path) == 0o600)
            #expect(try mode(folder) == 0o700)
            spool.remove()
            #expect(!FileManager.default.fileExists(atPath: folder))
            #expect(filesIn(directory) == [])
        }
    }

    @Test func outcomesComeBackInRowOrderWithTheirCounts() throws {
        try withTemporaryDirectory { directory in
            var path = ""
            do {
                let spool = try DrainRowSpool(directory: directory)
                path = try #require(spool.path)
                #expect(try mode(path) == 0o600)
                #expect(try mode((path as NSString).deletingLastPathComponent) == 0o700)
                func row(_ id: Int64, _ outcome: DrainOutcome) -> DrainRowResult {
                    DrainRowResult(
                        rowID: id, kennitala: "0101702389", action: .update, outcome: outcome, detail: "d\(id)")
                }
                // Appended in member order, as a drain settles them; one carried over from a crashed run.
                try spool.append([row(9, .applied), row(2, .superseded), row(5, .dead)])
                try spool.append([row(3, .invalid)])
                try spool.append([row(4, .applied)], carried: true)
                var ordered: [Int64] = []
                try spool.forEach { ordered.append($0.rowID) }
                #expect(ordered == [2, 3, 4, 5, 9])
                var dead: [DrainRowResult] = []
                try spool.forEach(outcomes: [.dead, .invalid]) { dead.append($0) }
                #expect(dead == [row(3, .invalid), row(5, .dead)])
                #expect(spool.counts() == [.applied: 2, .superseded: 1, .dead: 1, .invalid: 1])
                #expect(spool.counts(carried: true) == [.applied: 1])
                #expect(try spool.inOrderAdded(carried: false).map(\.rowID) == [9, 2, 5, 3])
                try spool.removeAll(carried: false)
                #expect(spool.counts() == [.applied: 1])
            }
            // The spool is gone with its owner (a signal removes it through CleanupRegistry).
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(filesIn(directory) == [])
        }
    }
}
