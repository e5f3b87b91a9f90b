import CutoverSupport
import Firestore

/// A document store whose `members` collection is empty while the register has members is almost
/// always the wrong project (Google's emulator and the local server serve any project id, each empty
/// until written): without this check a snapshot captured "firestore/members 0 rows", exited 0, and the
/// mistake surfaced only at parity, as every member "only in B". `status` and `snapshot` warn; `drain`
/// and `verify` refuse (exit 3) unless `--force`.
public enum EmptyStoreCheck {
    /// One line naming the store and the project in use, or nil when the store has members or the
    /// register has none (a fresh register, or no `membership_comrade` to ask).
    public static func problem(
        database: any LegacyDatabase, table: QueueTableName, store: any DocumentStore
    ) async throws -> String? {
        guard try database.tableExists(schema: table.schema, table: RegisterTables.comrade) else { return nil }
        let registerHasMembers = try database.withConsistentRead { _ in
            try database.openCursor(
                "SELECT 1 FROM \(database.qualified(schema: table.schema, table: RegisterTables.comrade)) LIMIT 1"
            )
            .next() != nil
        }
        guard registerHasMembers else { return nil }
        // A store that cannot be read cannot be judged here: the step itself meets the failure and handles
        // it its own way (a drain against a target that is down stops with 21, not 3).
        guard let page = try? await store.listDocuments(collection: "members", pageSize: 1, pageToken: nil),
            page.documents.isEmpty
        else { return nil }
        return "\(store.label) has no members documents in project \(store.database.project) while the register at "
            + "\(database.redactedTarget) has members: is this the right project?"
    }

    /// What to do about it, for the refusal's `next:` line.
    public static let nextStep =
        "name the project with --project (or GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, "
        + "firestore:PROJECT); "
        + "--force goes on with an empty store"

    /// The refusal `drain` and `verify` throw.
    public static func refusal(_ problem: String) -> CutoverError {
        CutoverError(.connection, problem, nextStep: nextStep)
    }
}
