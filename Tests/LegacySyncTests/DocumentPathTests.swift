import Firestore
import LegacySync
import Testing

/// The typed names of the legacy collections give exactly the wire strings LEGACY.md names, and the
/// text-path helpers read them back.
struct DocumentPathTests {
    @Test func theLegacyCollectionsAndPathsAreTheWireStrings() throws {
        #expect(
            [CollectionName.members, .syncLogs, .syncQueue].map(\.description) == [
                "members", "sync_logs", "sync_queue",
            ])
        let member = DocumentPath.member("0101302989")
        #expect(member.description == "members/0101302989" && "\(member)" == "members/0101302989")
        #expect(member == CollectionName.members.document("0101302989"))
        #expect(CollectionName.syncLogs.document("run-1").description == "sync_logs/run-1")
        #expect(CollectionName.syncQueue.document("abc").description == "sync_queue/abc")
        try DocumentPath.validateDocument(member.description)
        #expect(DocumentPath.collection(of: member.description) == member.collection.rawValue)
        #expect(DocumentPath.id(of: member.description) == member.id)
    }

    /// A write or a read addressed by a typed path lands where the string path does.
    @Test func typedWritesAddressTheSameDocument() {
        let fields: [String: FirestoreValue] = ["a": "b"]
        #expect(FirestoreWrite.set(.member("x"), fields) == FirestoreWrite.set("members/x", fields))
        #expect(FirestoreWrite.merge(.member("x"), fields) == FirestoreWrite.merge("members/x", fields))
        #expect(
            FirestoreWrite.update(.member("x"), [FieldPath(["a"]): "b"])
                == FirestoreWrite.update("members/x", [FieldPath(["a"]): "b"]))
    }
}
