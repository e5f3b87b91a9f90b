import CutoverSupport

/// A document as a snapshot keeps it: its fields as canonical REST JSON text (sorted keys), not
/// decoded. Stores that hold documents in that form hand them over without a decode and re-encode.
public struct DocumentText: Sendable, Equatable {
    public var path: String
    /// `FirestoreValue.restFields(fields).canonicalText`.
    public var fieldsJSON: String
    public var createTime: Timestamp?
    public var updateTime: Timestamp?

    public init(path: String, fieldsJSON: String, createTime: Timestamp?, updateTime: Timestamp?) {
        self.path = path
        self.fieldsJSON = fieldsJSON
        self.createTime = createTime
        self.updateTime = updateTime
    }

    public init(_ document: FirestoreDocument) {
        self.init(
            path: document.path, fieldsJSON: FirestoreValue.restFields(document.fields).canonicalText,
            createTime: document.createTime, updateTime: document.updateTime)
    }

    public var id: String { DocumentPath.id(of: path) }
}

/// One page of `DocumentText`s, like `DocumentPage`.
public struct DocumentTextPage: Sendable, Equatable {
    public var documents: [DocumentText]
    public var nextPageToken: String?

    public init(documents: [DocumentText], nextPageToken: String?) {
        self.documents = documents
        self.nextPageToken = nextPageToken
    }
}
