/// Firestore's cross-type ordering (FIRESTORE.md §1): null < booleans < numbers (integers and doubles
/// compared numerically, NaN lowest) < timestamps < strings (UTF-8 byte order) < bytes < references
/// (segment by segment) < geo points < arrays < maps.
extension FirestoreValue {
    /// The type class used for ordering and for which values a range filter can match.
    public var typeOrder: Int {
        switch self {
        case .null: 0
        case .boolean: 1
        case .integer, .double: 2
        case .timestamp: 3
        case .string: 4
        case .bytes: 5
        case .reference: 6
        case .geoPoint: 7
        case .array: 8
        case .map: 9
        }
    }

    /// Negative, zero or positive, as Firestore orders the two values.
    public static func compare(_ lhs: FirestoreValue, _ rhs: FirestoreValue) -> Int {
        if lhs.typeOrder != rhs.typeOrder { return lhs.typeOrder < rhs.typeOrder ? -1 : 1 }
        switch (lhs, rhs) {
        case (.boolean(let a), .boolean(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.integer(let a), .integer(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.timestamp(let a), .timestamp(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.string(let a), .string(let b)): return compareBytes(Array(a.utf8), Array(b.utf8))
        case (.bytes(let a), .bytes(let b)): return compareBytes(a, b)
        case (.reference(let a), .reference(let b)):
            let left = a.split(separator: "/", omittingEmptySubsequences: false)
            let right = b.split(separator: "/", omittingEmptySubsequences: false)
            for (x, y) in zip(left, right) {
                let order = compareBytes(Array(x.utf8), Array(y.utf8))
                if order != 0 { return order }
            }
            return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
        case (.geoPoint(let a1, let a2), .geoPoint(let b1, let b2)):
            let first = compareDoubles(a1, b1)
            return first != 0 ? first : compareDoubles(a2, b2)
        case (.array(let a), .array(let b)):
            for (x, y) in zip(a, b) {
                let order = compare(x, y)
                if order != 0 { return order }
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        case (.map(let a), .map(let b)):
            // Maps compare key by key in key order, then value, then by size.
            let left = a.keys.sorted { compareBytes(Array($0.utf8), Array($1.utf8)) < 0 }
            let right = b.keys.sorted { compareBytes(Array($0.utf8), Array($1.utf8)) < 0 }
            for (x, y) in zip(left, right) {
                let keyOrder = compareBytes(Array(x.utf8), Array(y.utf8))
                if keyOrder != 0 { return keyOrder }
                let valueOrder = compare(a[x]!, b[y]!)
                if valueOrder != 0 { return valueOrder }
            }
            return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
        default:
            return compareNumbers(lhs, rhs)
        }
    }

    /// Integers and doubles compared as numbers; NaN below everything, equal to itself.
    private static func compareNumbers(_ lhs: FirestoreValue, _ rhs: FirestoreValue) -> Int {
        switch (lhs, rhs) {
        case (.integer(let a), .double(let b)): return -compareIntegerToDouble(b, a)
        case (.double(let a), .integer(let b)): return compareIntegerToDouble(a, b)
        case (.double(let a), .double(let b)): return compareDoubles(a, b)
        default: return 0
        }
    }

    private static func compareIntegerToDouble(_ double: Double, _ integer: Int64) -> Int {
        if double.isNaN { return -1 }
        // Doubles beyond Int64's range compare by sign; inside it, exactly.
        if double >= 9_223_372_036_854_775_808.0 { return 1 }
        if double < -9_223_372_036_854_775_808.0 { return -1 }
        let truncated = Int64(double.rounded(.down))
        if truncated != integer { return truncated < integer ? -1 : 1 }
        return double > Double(truncated) ? 1 : 0
    }

    static func compareDoubles(_ a: Double, _ b: Double) -> Int {
        if a.isNaN { return b.isNaN ? 0 : -1 }
        if b.isNaN { return 1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
