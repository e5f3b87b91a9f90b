import Firestore

/// The legacy system's Firestore collections (LEGACY.md "Firestore collections").
extension CollectionName {
    /// `members/{kennitala}`: one document per member, in Path A's or Path B's shape.
    package static let members = CollectionName(rawValue: "members")
    /// `sync_logs/{auto id}`: one per nightly run; the newest successful one bounds the next run.
    package static let syncLogs = CollectionName(rawValue: "sync_logs")
    /// `sync_queue/{auto id}`: the portal's edits waiting for Django.
    package static let syncQueue = CollectionName(rawValue: "sync_queue")
}

extension DocumentPath {
    /// `members/{kennitala}`: a member's document.
    package static func member(_ kennitala: String) -> DocumentPath { CollectionName.members.document(kennitala) }
}
