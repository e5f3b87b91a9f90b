/// How Firestore answers a structured query over a collection's documents: filter, implicit
/// ordering, cursors, offset, limit, projection. The embedded store runs queries with this.
extension StructuredQuery {
    /// The ordering Firestore actually applies: the explicit order, then inequality fields not yet
    /// ordered, then `__name__` in the direction of the last order (ascending when none).
    public var effectiveOrder: [Order] {
        var order = orderBy
        if orderBy.isEmpty {
            let inequalities = Set(filter.map(Self.inequalityFields) ?? []).sorted()
            order = inequalities.map { Order($0) }
        }
        if !order.contains(where: { $0.field == .documentName }) {
            order.append(Order(.documentName, descending: order.last?.descending ?? false))
        }
        return order
    }

    static func inequalityFields(_ filter: Filter) -> [FieldPath] {
        switch filter {
        case .field(let path, let op, _): op.isInequality ? [path] : []
        case .unary: []
        case .and(let filters), .or(let filters): filters.flatMap(inequalityFields)
        }
    }

    /// Runs the query over `documents` (all of the collection, any order).
    public func evaluate(_ documents: [FirestoreDocument], database: DatabaseName) -> [FirestoreDocument] {
        let order = effectiveOrder
        func key(_ document: FirestoreDocument, _ field: FieldPath) -> FirestoreValue? {
            field == .documentName ? .reference(database.documentName(document.path)) : document.value(at: field)
        }
        var matched = documents.filter { document in
            // A document missing an ordered field is not in the result.
            order.allSatisfy { key(document, $0.field) != nil } && (filter.map { Self.matches($0, document) } ?? true)
        }
        matched.sort { left, right in
            for entry in order {
                let comparison = FirestoreValue.compare(key(left, entry.field)!, key(right, entry.field)!)
                if comparison != 0 { return entry.descending ? comparison > 0 : comparison < 0 }
            }
            return false
        }
        func position(_ document: FirestoreDocument, _ cursor: Cursor) -> Int {
            for (index, value) in cursor.values.enumerated() where index < order.count {
                var comparison = FirestoreValue.compare(key(document, order[index].field)!, value)
                if order[index].descending { comparison = -comparison }
                if comparison != 0 { return comparison }
            }
            return 0
        }
        if let startAt {
            matched = matched.filter { position($0, startAt) > 0 || (position($0, startAt) == 0 && startAt.before) }
        }
        if let endAt {
            matched = matched.filter { position($0, endAt) < 0 || (position($0, endAt) == 0 && !endAt.before) }
        }
        var result = ArraySlice(matched)
        if let offset { result = result.dropFirst(max(0, offset)) }
        if let limit { result = result.prefix(max(0, limit)) }
        guard let select else { return Array(result) }
        return result.map { document in
            var projected = FirestoreDocument(
                path: document.path, createTime: document.createTime, updateTime: document.updateTime)
            for field in select where field != .documentName {
                if let value = document.value(at: field) { projected.setValue(value, at: field) }
            }
            return projected
        }
    }

    static func matches(_ filter: Filter, _ document: FirestoreDocument) -> Bool {
        switch filter {
        case .and(let filters): return filters.allSatisfy { matches($0, document) }
        case .or(let filters): return filters.contains { matches($0, document) }
        case .unary(let path, let op):
            guard let value = document.value(at: path) else { return false }
            let isNaN: Bool = if case .double(let number) = value { number.isNaN } else { false }
            switch op {
            case .isNull: return value == .null
            case .isNotNull: return value != .null
            case .isNaN: return isNaN
            case .isNotNaN: return !isNaN && value.typeOrder == 2
            }
        case .field(let path, let op, let operand):
            guard let value = document.value(at: path) else { return false }
            func equal(_ a: FirestoreValue, _ b: FirestoreValue) -> Bool {
                a.typeOrder == b.typeOrder && FirestoreValue.compare(a, b) == 0
            }
            switch op {
            case .equal: return equal(value, operand)
            case .notEqual: return value != .null && !equal(value, operand)
            case .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual:
                // Range filters only match values of the operand's type class.
                guard value.typeOrder == operand.typeOrder else { return false }
                let comparison = FirestoreValue.compare(value, operand)
                switch op {
                case .lessThan: return comparison < 0
                case .lessThanOrEqual: return comparison <= 0
                case .greaterThan: return comparison > 0
                default: return comparison >= 0
                }
            case .in:
                guard case .array(let candidates) = operand else { return false }
                return candidates.contains { equal(value, $0) }
            case .notIn:
                guard case .array(let candidates) = operand, value != .null else { return false }
                return !candidates.contains { equal(value, $0) }
            case .arrayContains:
                guard case .array(let elements) = value else { return false }
                return elements.contains { equal($0, operand) }
            case .arrayContainsAny:
                guard case .array(let elements) = value, case .array(let candidates) = operand else { return false }
                return elements.contains { element in candidates.contains { equal(element, $0) } }
            }
        }
    }
}
