import CutoverCore
import Firestore
import LegacySync

/// `cutover rehearse` without `--source`: a demo legacy database and its store, seeded anew.
public struct DemoRehearsalSeeder: RehearsalSeeder {
    public init() {}

    public func seed(
        members: Int, queueRows: Int, into database: any LegacyDatabase, store: any DocumentStore
    ) async throws -> String {
        var plan = DemoSeeder.Plan()
        plan.members = members
        plan.queueRows = queueRows
        plan.replace = true
        _ = try DemoSeeder(plan: plan).run(into: database)
        let firestore = try await DemoFirestoreSeeder(plan: plan).run(into: store)
        return "\(plan.members) members, \(plan.queueRows) queue rows, \(firestore.syncLogs) run logs"
    }
}
