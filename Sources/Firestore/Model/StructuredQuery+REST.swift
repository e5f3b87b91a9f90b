import CutoverSupport

/// Structured queries in REST JSON (FIRESTORE.md §2 StructuredQuery).
extension StructuredQuery {
    public var restJSON: JSONValue {
        var object: [String: JSONValue] = ["from": [["collectionId": .string(collectionID)]]]
        if let select { object["select"] = ["fields": .array(select.map { ["fieldPath": .string($0.description)] })] }
        if let filter { object["where"] = Self.encode(filter) }
        if !orderBy.isEmpty {
            object["orderBy"] = .array(
                orderBy.map {
                    [
                        "field": ["fieldPath": .string($0.field.description)],
                        "direction": .string($0.descending ? "DESCENDING" : "ASCENDING"),
                    ]
                })
        }
        if let startAt {
            object["startAt"] = ["values": .array(startAt.values.map(\.restJSON)), "before": .bool(startAt.before)]
        }
        if let endAt {
            object["endAt"] = ["values": .array(endAt.values.map(\.restJSON)), "before": .bool(endAt.before)]
        }
        if let offset { object["offset"] = .integer(Int64(offset)) }
        if let limit { object["limit"] = .integer(Int64(limit)) }
        return .object(object)
    }

    static func encode(_ filter: Filter) -> JSONValue {
        switch filter {
        case .field(let path, let op, let value):
            return [
                "fieldFilter": [
                    "field": ["fieldPath": .string(path.description)], "op": .string(op.rawValue),
                    "value": value.restJSON,
                ]
            ]
        case .unary(let path, let op):
            return ["unaryFilter": ["field": ["fieldPath": .string(path.description)], "op": .string(op.rawValue)]]
        case .and(let filters):
            return ["compositeFilter": ["op": "AND", "filters": .array(filters.map(encode))]]
        case .or(let filters):
            return ["compositeFilter": ["op": "OR", "filters": .array(filters.map(encode))]]
        }
    }

    /// Decodes the `structuredQuery` object of a runQuery request.
    public init(restJSON json: JSONValue) throws {
        guard case .array(let from)? = json["from"], from.count == 1,
            case .string(let collection)? = from[0]["collectionId"]
        else {
            throw FirestoreError.invalidArgument("structuredQuery.from must name one collection")
        }
        if from[0]["allDescendants"] == .bool(true) {
            throw FirestoreError.invalidArgument("collection-group queries (allDescendants) are not supported here")
        }
        func field(_ json: JSONValue?) throws -> FieldPath {
            guard case .string(let text)? = json?["fieldPath"] else {
                throw FirestoreError.invalidArgument("a field reference has no fieldPath")
            }
            return try FieldPath(parsing: text)
        }
        // Firestore refuses a negative offset or limit (int32 fields); so do we, before they reach
        // dropFirst/prefix, which trap on negative counts.
        func number(_ json: JSONValue?, _ name: String) throws -> Int? {
            let value: Int?
            switch json {
            case nil: return nil
            case .integer(let integer)?: value = Int(exactly: integer)
            case .object(let wrapper)?: return try number(wrapper["value"], name)
            case .string(let text)?: value = Int(text)
            default: value = nil
            }
            guard let value, (0...Int(Int32.max)).contains(value) else {
                throw FirestoreError.invalidArgument("\(name) must be a number from 0 to \(Int32.max)")
            }
            return value
        }
        func cursor(_ json: JSONValue?) throws -> Cursor? {
            guard let json else { return nil }
            guard case .array(let values)? = json["values"] else {
                throw FirestoreError.invalidArgument("a cursor needs values")
            }
            return Cursor(
                values: try values.map { try FirestoreValue(restJSON: $0, context: "cursor") },
                before: json["before"] == .bool(true))
        }
        var select: [FieldPath]?
        if case .array(let fields)? = json["select"]?["fields"] { select = try fields.map(field) }
        var orderBy: [Order] = []
        if case .array(let orders)? = json["orderBy"] {
            orderBy = try orders.map {
                Order(try field($0["field"]), descending: $0["direction"] == .string("DESCENDING"))
            }
        }
        self.init(
            collectionID: collection, filter: try json["where"].map(Self.decodeFilter), orderBy: orderBy,
            startAt: try cursor(json["startAt"]), endAt: try cursor(json["endAt"]),
            offset: try number(json["offset"], "offset"),
            limit: try number(json["limit"], "limit"), select: select)
    }

    static func decodeFilter(_ json: JSONValue) throws -> Filter {
        func field(_ json: JSONValue?) throws -> FieldPath {
            guard case .string(let text)? = json?["fieldPath"] else {
                throw FirestoreError.invalidArgument("a filter has no fieldPath")
            }
            return try FieldPath(parsing: text)
        }
        if let fieldFilter = json["fieldFilter"] {
            guard case .string(let opText)? = fieldFilter["op"], let op = FieldOperator(rawValue: opText) else {
                throw FirestoreError.invalidArgument(
                    "unknown field filter operator \(fieldFilter["op"]?.canonicalText ?? "")")
            }
            guard let value = fieldFilter["value"] else {
                throw FirestoreError.invalidArgument("a field filter has no value")
            }
            return .field(
                try field(fieldFilter["field"]), op, try FirestoreValue(restJSON: value, context: "filter value"))
        }
        if let unary = json["unaryFilter"] {
            guard case .string(let opText)? = unary["op"], let op = UnaryOperator(rawValue: opText) else {
                throw FirestoreError.invalidArgument("unknown unary filter operator")
            }
            return .unary(try field(unary["field"]), op)
        }
        if let composite = json["compositeFilter"] {
            guard case .array(let list)? = composite["filters"] else {
                throw FirestoreError.invalidArgument("a composite filter needs filters")
            }
            let filters = try list.map(decodeFilter)
            switch composite["op"] {
            case .string("AND")?: return .and(filters)
            case .string("OR")?: return .or(filters)
            default: throw FirestoreError.invalidArgument("unknown composite filter operator")
            }
        }
        throw FirestoreError.invalidArgument("a filter must be a fieldFilter, unaryFilter or compositeFilter")
    }
}
