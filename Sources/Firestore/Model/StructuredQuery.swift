/// The subset of `StructuredQuery` (FIRESTORE.md §2) the legacy code and the toolkit use:
/// field, unary and composite filters, ordering, cursors, offset, limit and projection.
public struct StructuredQuery: Sendable, Equatable {
    public enum FieldOperator: String, Sendable, CaseIterable {
        case lessThan = "LESS_THAN", lessThanOrEqual = "LESS_THAN_OR_EQUAL"
        case greaterThan = "GREATER_THAN", greaterThanOrEqual = "GREATER_THAN_OR_EQUAL"
        case equal = "EQUAL", notEqual = "NOT_EQUAL"
        case arrayContains = "ARRAY_CONTAINS", arrayContainsAny = "ARRAY_CONTAINS_ANY"
        case `in` = "IN", notIn = "NOT_IN"

        /// Inequalities add their field to the implicit ordering.
        var isInequality: Bool {
            [.lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual, .notEqual, .notIn].contains(self)
        }
    }

    public enum UnaryOperator: String, Sendable, CaseIterable {
        case isNull = "IS_NULL", isNotNull = "IS_NOT_NULL", isNaN = "IS_NAN", isNotNaN = "IS_NOT_NAN"
    }

    public indirect enum Filter: Sendable, Equatable {
        case field(FieldPath, FieldOperator, FirestoreValue)
        case unary(FieldPath, UnaryOperator)
        case and([Filter])
        case or([Filter])
    }

    public struct Order: Sendable, Equatable {
        public var field: FieldPath
        public var descending: Bool

        public init(_ field: FieldPath, descending: Bool = false) {
            self.field = field
            self.descending = descending
        }
    }

    /// `before: true` is just before the values (startAt inclusive, endAt exclusive).
    public struct Cursor: Sendable, Equatable {
        public var values: [FirestoreValue]
        public var before: Bool

        public init(values: [FirestoreValue], before: Bool) {
            self.values = values
            self.before = before
        }
    }

    public var collectionID: String
    public var filter: Filter?
    public var orderBy: [Order]
    public var startAt: Cursor?
    public var endAt: Cursor?
    public var offset: Int?
    public var limit: Int?
    /// Projection; nil returns whole documents.
    public var select: [FieldPath]?

    public init(
        collectionID: String, filter: Filter? = nil, orderBy: [Order] = [], startAt: Cursor? = nil,
        endAt: Cursor? = nil, offset: Int? = nil, limit: Int? = nil, select: [FieldPath]? = nil
    ) {
        self.collectionID = collectionID
        self.filter = filter
        self.orderBy = orderBy
        self.startAt = startAt
        self.endAt = endAt
        self.offset = offset
        self.limit = limit
        self.select = select
    }
}
