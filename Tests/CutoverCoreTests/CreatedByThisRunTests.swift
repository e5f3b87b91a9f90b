import CutoverCore
import CutoverSupport
import Foundation
import SQLite
import TestSupport
import Testing

/// What a failed command takes away (`CreatedByThisRun`) and the checks before the work (`OutputPreflight`),
/// on real files: only what this run made, state files only when they hold no row, folders only when empty.
struct CreatedByThisRunTests {
    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func aFailedRunRemovesWhatItMadeAndNothingElse() throws {
        try withTemporaryDirectory { directory in
            let created = CreatedByThisRun()
            try "there before".write(toFile: "\(directory)/old.txt", atomically: true, encoding: .utf8)
            created.file("\(directory)/old.txt", whenFailed: .remove)
            try created.makeDirectory("\(directory)/state/inner")
            created.file("\(directory)/state/inner/empty.sqlite")
            created.file("\(directory)/state/inner/journal.sqlite")
            created.file("\(directory)/state/inner/seeded.sqlite", whenFailed: .remove)
            let empty = try SQLiteDatabase(path: "\(directory)/state/inner/empty.sqlite", mode: .create)
            try empty.execute("CREATE TABLE intents (id INTEGER)")
            empty.close()
            let journal = try SQLiteDatabase(path: "\(directory)/state/inner/journal.sqlite", mode: .create)
            try journal.execute("CREATE TABLE intents (id INTEGER); INSERT INTO intents VALUES (1)")
            journal.close()
            let seeded = try SQLiteDatabase(path: "\(directory)/state/inner/seeded.sqlite", mode: .create)
            try seeded.execute("CREATE TABLE rows (id INTEGER); INSERT INTO rows VALUES (1)")
            seeded.close()

            created.removeAfterFailure()
            #expect(exists("\(directory)/old.txt"), "a file that was there before the run is never removed")
            #expect(!exists("\(directory)/state/inner/empty.sqlite"), "a state file with no row goes")
            #expect(!exists("\(directory)/state/inner/seeded.sqlite"), "the command's own half-made product goes")
            #expect(
                exists("\(directory)/state/inner/journal.sqlite"), "a journal that holds a row stays for the next run")
            #expect(filesIn("\(directory)/state/inner") == ["journal.sqlite"], "and the folders holding it stay")
        }
    }

    @Test func foldersItMadeGoWhenEmptyAndFoldersThatWereThereStay() throws {
        try withTemporaryDirectory { directory in
            let created = CreatedByThisRun()
            try created.makeDirectory("\(directory)/a/b/c")
            try created.makeDirectory(directory)
            created.removeAfterFailure()
            #expect(!exists("\(directory)/a"))
            #expect(exists(directory))
        }
    }

    @Test func probesAreRealFilesAndLeaveNothing() throws {
        try withTemporaryDirectory { directory in
            let created = CreatedByThisRun()
            try OutputPreflight.writableDirectory("\(directory)/reports", for: "--out", created: created)
            #expect(filesIn("\(directory)/reports").isEmpty, "the probe file is removed")
            try "x".write(toFile: "\(directory)/file", atomically: true, encoding: .utf8)
            #expect(throws: CutoverError.self) {
                try OutputPreflight.writableDirectory("\(directory)/file/sub", for: "--out", created: created)
            }
            #expect(throws: CutoverError.self) {
                try OutputPreflight.writableFile("\(directory)/reports", for: "--journal", created: created)
            }
            #expect(throws: CutoverError.self) {
                try OutputPreflight.readableFile("\(directory)/reports", for: "--snapshot")
            }
            #expect(throws: CutoverError.self) {
                try OutputPreflight.readableFile("\(directory)/missing", for: "--snapshot")
            }
        }
    }

    @Test func parentsOfPathsIncludingOneLetterOnes() {
        #expect(OutputPreflight.parent(of: "v") == "")
        #expect(OutputPreflight.parent(of: "v/") == "")
        #expect(OutputPreflight.parent(of: "a/b") == "a")
        #expect(OutputPreflight.parent(of: "/x") == "/")
        #expect(OutputPreflight.parent(of: "/srv/out/drain/") == "/srv/out")
        #expect(OutputPreflight.lastComponent(of: "restored/") == "restored")
        #expect(OutputPreflight.lastComponent(of: "v") == "v")
    }
}
