import CutoverCore
import Firestore
import Foundation

/// The stores the local server answers for, one per database. Google's emulator serves any project id
/// (and database id), each its own namespace (FIRESTORE.md §4), so `FIRESTORE_EMULATOR_HOST` plus a real
/// project id works against it; the local server does the same. The first request naming a database
/// opens its store.
public actor ProjectStores {
    /// Opens the store of a database other than the primary's.
    public typealias Opener = @Sendable (DatabaseName) throws -> any DocumentStore

    private let open: Opener
    /// The primary store's database: its project is what the metadata stand-in answers.
    public nonisolated let primaryDatabase: DatabaseName
    private var opened: [String: any DocumentStore] = [:]

    public init(primary: any DocumentStore, open: @escaping Opener) {
        self.open = open
        primaryDatabase = primary.database
        opened[primary.database.resourceName] = primary
    }

    /// Serves every other database from an embedded store in a file beside the primary's:
    /// `firestore.sqlite` holds the primary's database, `firestore.PROJECT.sqlite` project PROJECT's
    /// default database, `firestore.PROJECT.DATABASE.sqlite` a named one.
    public init(primary: EmbeddedDocumentStore) {
        let path = primary.path
        self.init(primary: primary) { database in
            try EmbeddedDocumentStore(path: Self.siblingPath(of: path, for: database), database: database)
        }
    }

    /// The store of `database`, opened on first use.
    public func store(for database: DatabaseName) throws -> any DocumentStore {
        if let store = opened[database.resourceName] { return store }
        // Ids become parts of file names: only what Firestore itself allows in them (letters, digits,
        // hyphens; underscores too, as named databases may not start with one) gets that far.
        for id in [database.project, database.database] where id != "(default)" {
            guard Self.isValidID(id) else {
                throw FirestoreError.invalidArgument("'\(id)' is not a valid project or database id")
            }
        }
        let store = try open(database)
        opened[database.resourceName] = store
        return store
    }

    static let allowedInIDs = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 63 && id.first != "-" && id.unicodeScalars.allSatisfy(allowedInIDs.contains)
    }

    /// `dir/firestore.sqlite` → `dir/firestore.PROJECT[.DATABASE].sqlite`.
    static func siblingPath(of path: String, for database: DatabaseName) -> String {
        let suffix = database.database == "(default)" ? database.project : "\(database.project).\(database.database)"
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let dot = path[slash...].lastIndex(of: "."), dot != slash {
            return "\(path[..<dot]).\(suffix)\(path[dot...])"
        }
        return "\(path).\(suffix)"
    }
}
