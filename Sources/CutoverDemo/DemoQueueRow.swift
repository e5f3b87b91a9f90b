import CutoverSupport
import LegacySync

/// One queue row the generator emits, in the order and with the values the seeder writes.
public struct DemoQueueRow: Sendable {
    public let id: Int64
    public let memberID: Int?
    public let ssn: String
    public let action: QueueRow.Action
    public let fieldsChanged: [String: JSONValue]
    public let createdAt: Timestamp
    public let syncedAt: Timestamp?
    public let status: QueueRow.Status
    public let errorMessage: String
    public let retryCount: Int
}
