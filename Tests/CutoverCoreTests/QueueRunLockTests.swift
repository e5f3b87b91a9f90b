import CutoverCore
import CutoverSupport
import Foundation
import LegacySync
import Snapshots
import TestSupport
import Testing

/// One run at a time on a queue (issue 19, point 6), in-process on SQLite: the lock file beside the
/// database, what a second run is told, and drain, retire and restore refusing while another run holds it.
struct QueueRunLockTests {
    static let started = Timestamp(parsing: "2026-11-30T23:01:02.5Z")!

    @Test func aSecondRunOnTheSameFileIsRefusedNamingTheFirst() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/legacy.sqlite"
            let first = try LegacyDatabaseOpener.open("sqlite:\(path)", create: true)
            let second = try LegacyDatabaseOpener.open("sqlite:\(path)")
            let held = try QueueRunLock.acquire("drain", table: .defaultName, on: first, started: Self.started)
            let lockFile = path + ".cutover-lock"
            let mode = try FileManager.default.attributesOfItem(atPath: lockFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let host = QueueRunHolder.currentHost
            #expect(
                try String(contentsOfFile: lockFile, encoding: .utf8)
                    == "cutover drain 2026-11-30T23:01:02Z \(getpid())@\(host)\n")

            // Another connection in the same process is another run: flock excludes it as it would another process.
            let refused = #expect(throws: CutoverError.self) {
                try QueueRunLock.acquire("restore", table: .defaultName, on: second)
            }
            #expect(refused?.kind == .busy && refused?.exitCode == ExitCode.busy.code)
            #expect(
                refused?.message
                    == "sqlite:\(path) (lock file \(lockFile)) is busy: held by cutover drain (pid \(getpid()) on "
                    + "\(host), "
                    + "started 2026-11-30T23:01:02Z); this run changed nothing")

            held.release()
            #expect(try String(contentsOfFile: lockFile, encoding: .utf8).isEmpty, "a released lock names no one")
            let next = try QueueRunLock.acquire("restore", table: .defaultName, on: second, started: Self.started)
            #expect(try String(contentsOfFile: lockFile, encoding: .utf8).hasPrefix("cutover restore "))
            next.release()
            held.release()  // a second release does nothing: it must not let go of another run's lock
            let third = try QueueRunLock.acquire("retire", table: .defaultName, on: first)
            #expect(throws: CutoverError.self) { try QueueRunLock.acquire("drain", table: .defaultName, on: second) }
            third.release()
        }
    }

    @Test func theHolderLineKeepsCommandTimeAndProcessWithinPostgresLimit() throws {
        let holder = QueueRunHolder(
            command: "nightly-run", processID: 4_194_304, host: String(repeating: "h", count: 80),
            started: Self.started)
        let line = holder.line(limit: 63)
        #expect(line.utf8.count == 63)
        let read = try #require(QueueRunHolder(line: line))
        #expect(read.command == "nightly-run" && read.processID == 4_194_304 && read.started == holder.started)
        #expect(
            read.host
                == String(repeating: "h", count: 63 - "cutover nightly-run 2026-11-30T23:01:02Z 4194304@".utf8.count))
        #expect(QueueRunHolder(line: holder.line()) == holder)
        #expect(QueueRunHolder(line: "psql") == nil && QueueRunHolder(line: "") == nil)
    }

    /// The key must be the same in every cutover version, or an old and a new one would not see each other.
    @Test func theAdvisoryKeyIsFixedByTheTablesName() {
        #expect(QueueRunLock.key(for: .defaultName) == 7_048_344_068_162_266_899)
        #expect(
            QueueRunLock.key(for: QueueTableName(schema: "cutover_rehearsal", table: "membership_membersyncqueue"))
                != QueueRunLock.key(for: .defaultName))
    }

    @Test func drainRetireAndRestoreAreRefusedWhileAnotherRunHoldsTheQueue() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory, members: 60, queueRows: 240)
            let other = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite")
            var held = try QueueRunLock.acquire("nightly-run", table: world.table, on: other)
            func expectBusy(_ error: CutoverError?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(error?.kind == .busy, "\(what)", sourceLocation: sourceLocation)
                #expect(
                    error?.message.contains("held by cutover nightly-run (pid \(getpid())") == true,
                    "\(what): \(String(describing: error))",
                    sourceLocation: sourceLocation)
            }
            let synced = try world.rows().values.filter { $0.status == .synced }.map(\.id).sorted()
            expectBusy(await #expect(throws: CutoverError.self) { try await world.drain() }, "drain")
            #expect(!FileManager.default.fileExists(atPath: world.journalPath), "the refused drain began no journal")
            #expect(try world.rows().values.filter { $0.status == .synced }.map(\.id).sorted() == synced)
            // A dry run writes nothing, so it takes no lock.
            #expect(try await world.drain(dryRun: true).dryRun)
            held.release()

            _ = try await world.readyToRetire()
            held = try QueueRunLock.acquire("nightly-run", table: world.table, on: other)
            expectBusy(
                await #expect(throws: CutoverError.self) { try await world.retirement { $0.confirm = true } }, "retire")
            #expect(try world.database.tableExists(schema: "", table: world.table.table))
            #expect(
                try await world.retirement().allGatesPass, "without --confirm retire changes nothing and takes no lock")
            held.release()
            #expect(try await world.retirement { $0.confirm = true }.executed)

            held = try QueueRunLock.acquire("nightly-run", table: world.table, on: other)
            let rollback = Restorer(options: .init(snapshotPath: "\(directory)/snapshot-after.sqlite"))
            expectBusy(#expect(throws: CutoverError.self) { try rollback.run(into: world.database) }, "restore")
            #expect(try !world.database.tableExists(schema: "", table: world.table.table))
            held.release()
            let captured = try SnapshotFile(path: "\(directory)/snapshot-after.sqlite").manifest.table("queue_rows")?
                .rowCount
            #expect(try rollback.run(into: world.database).rows == captured)
        }
    }
}
