import CutoverCore
import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Snapshots
import TestSupport
import Testing

/// The Firestore side of the demo, and snapshot/status reading it.
struct DemoFirestoreTests {
    func seeded(
        _ directory: String
    ) async throws -> (any LegacyDatabase, EmbeddedDocumentStore, DemoSeeder.Summary, DemoFirestoreSeeder.Summary) {
        let plan = seedPlan(members: 400, queueRows: 1_200)
        let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
        let summary = try DemoSeeder(plan: plan).run(into: database)
        let store = try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite")
        let firestore = try await DemoFirestoreSeeder(plan: plan).run(into: store)
        return (database, store, summary, firestore)
    }

    @Test func demoMembersEqualWhatTheRegisterReaderReadsBack() throws {
        try withTemporaryDirectory { directory in
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            let plan = seedPlan(members: 500, queueRows: 200)
            _ = try DemoSeeder(plan: plan).run(into: database)
            let factory = DemoMemberFactory(
                seed: plan.seed, memberCount: plan.members,
                deletedMemberCapacity: DemoQueueGenerator.deletedMemberCapacity(rowCount: plan.queueRows))
            var count = 0
            try database.withConsistentRead { _ in
                try RegisterReader(database: database, schema: "public").scan { member in
                    count += 1
                    #expect(member == factory.member(Int(member.id)).registerMember, "member \(member.id)")
                }
            }
            #expect(count == 500)
        }
    }
    /// The drain's refresh asks for one member by its normalised kennitala; the register may store it hyphenated.
    @Test func oneMemberIsFoundUnderEitherSpellingOfItsSSN() throws {
        try withTemporaryDirectory { directory in
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            _ = try DemoSeeder(plan: seedPlan(members: 50, queueRows: 20)).run(into: database)
            var plain = ""
            try database.withConsistentRead { _ in
                try RegisterReader(database: database, schema: "public").scan { if plain.isEmpty { plain = $0.ssn } }
            }
            try database.execute(
                "UPDATE membership_comrade SET ssn = '\(Kennitala.hyphenated(plain))' WHERE ssn = '\(plain)'")
            var found: [String] = []
            try database.withConsistentRead { _ in
                try RegisterReader(database: database, schema: "public", ssn: plain).scan { found.append($0.ssn) }
            }
            #expect(found == [Kennitala.hyphenated(plain)])
        }
    }

    @Test func firestoreHoldsWhatEachPathLeftConsistentWithTheQueue() async throws {
        try await withTemporaryDirectory { directory in
            let (_, store, summary, firestore) = try await seeded(directory)
            let members = try await store.count(collection: "members")
            #expect(members == firestore.pathAMembers + firestore.pathBMembers + firestore.deletedMembers)
            #expect(firestore.pathBMembers > 0 && firestore.mergedMembers > 0 && firestore.deletedMembers > 0)
            #expect(firestore.failedCreates == 400 / 997)  // none below 997 members
            // The orphan's document never existed.
            #expect(try await store.getDocument("members/\(DemoQueueGenerator.knownOrphanSSN)") == nil)
            // Path A's `since`, found with the legacy query, is the demo's last successful run.
            #expect(try await LastSuccessfulRun.find(in: store) == DemoTimeline.lastSuccessfulRunCompleted)
            #expect(try await store.count(collection: "sync_logs") == firestore.syncLogs)
            #expect(firestore.failedRuns == DemoTimeline.failedRunDays.count)
            // Both naming styles, all three statuses.
            #expect(firestore.camelCaseQueueDocuments > 0)
            #expect(Set(firestore.syncQueue.keys) == ["pending", "synced", "failed"])
            var snake = 0, camel = 0
            try await store.forEachDocument(in: "sync_queue") { document in
                if document.fields["sync_status"] != nil && document.fields["created_at"] != nil { snake += 1 }
                if document.fields["status"] != nil && document.fields["createdAt"] != nil { camel += 1 }
            }
            #expect(camel == firestore.camelCaseQueueDocuments)
            #expect(snake + camel == firestore.syncQueue.values.reduce(0, +))
            // A Path B create replaced the document: its shape has no top-level kennitala.
            var shapes: Set<String> = []
            try await store.forEachDocument(in: "members") { document in
                let hasA = document.fields["kennitala"] != nil
                let hasB = document.value(at: FieldPath(["profile", "kennitala"])) != nil
                shapes.insert(hasA && hasB ? "merged" : hasA ? "A" : hasB ? "B" : "?")
            }
            #expect(shapes == ["A", "B", "merged"])
            _ = summary
        }
    }

    @Test func seedingRefusesExistingDocumentsUnlessReplacing() async throws {
        try await withTemporaryDirectory { directory in
            let (_, store, _, _) = try await seeded(directory)
            let refused = await #expect(throws: CutoverError.self) {
                try await DemoFirestoreSeeder(plan: seedPlan(members: 400, queueRows: 1_200)).run(into: store)
            }
            #expect(refused?.kind == .output)
            var replace = seedPlan(members: 100, queueRows: 300)
            replace.replace = true
            let again = try await DemoFirestoreSeeder(plan: replace).run(into: store)
            #expect(
                try await store.count(collection: "members") == again.pathAMembers + again.pathBMembers
                    + again.deletedMembers)
        }
    }

    @Test func snapshotCapturesTheCollectionsAndStatusTakesTheLastRunFromThem() async throws {
        try await withTemporaryDirectory { directory in
            let (database, store, summary, firestore) = try await seeded(directory)
            let result = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: database, firestore: store)
            #expect(
                result.manifest.table("firestore/members")?.rowCount == firestore.pathAMembers + firestore.pathBMembers
                    + firestore.deletedMembers)
            #expect(result.manifest.table("firestore/sync_logs")?.rowCount == firestore.syncLogs)
            #expect(result.manifest.table("firestore/sync_queue")?.rowCount == firestore.syncQueue.values.reduce(0, +))
            #expect(result.manifest.values["firestore_source"] == store.label)
            let file = try SnapshotFile(path: result.path)
            #expect(try file.verifyContent().isEmpty)
            #expect(
                LastSuccessfulRun.find(in: try file.firestoreDocuments("sync_logs"))
                    == DemoTimeline.lastSuccessfulRunCompleted)

            // Classified with the run found in sync_logs, status matches what was planted.
            var options = QueueStatusCollector.Options(asOf: DemoTimeline.freshEnd)
            options.lastRun = try await LastSuccessfulRun.find(in: store)
            let status = try QueueStatusCollector(options: options).collect(from: file)
            #expect(status.pendingFresh == summary.tally.pendingFresh)
            #expect(status.pendingStranded == summary.tally.pendingStranded)

            // A second snapshot of unchanged sources hashes the same; tampering with a document is found.
            let second = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s2.sqlite")).run(
                from: database, firestore: store)
            #expect(second.manifest.tables == result.manifest.tables)
            let raw = try SQLiteTamper(path: result.path)
            try raw.run(
                "UPDATE firestore_documents SET fields = '{}' WHERE collection = 'sync_queue' "
                    + "AND id = (SELECT min(id) FROM firestore_documents WHERE collection = 'sync_queue')")
            #expect(
                try SnapshotFile(path: result.path).verifyContent().map { $0.prefix(21) } == ["firestore/sync_queue:"])
        }
    }
}
