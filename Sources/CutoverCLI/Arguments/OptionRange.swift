import ArgumentParser

/// The ranges numeric options must fall in, checked in `validate()` so a bad value is a usage error
/// (exit 64) naming the option. Without them `nan`, `inf` or a huge number parsed as a valid `Double` or
/// `Int` and trapped later — converting to nanoseconds, multiplying hours into microseconds — or, like
/// a negative count, quietly meant something else.
enum OptionRange {
    /// A hundred years: any longer and hours or seconds overflow once turned into microseconds.
    static let maxHours = 876_000
    static let maxSeconds = Double(maxHours) * 3600

    static func hours(_ value: Int, _ option: String) throws {
        guard (0...maxHours).contains(value) else {
            throw ValidationError("\(option) must be a number of hours from 0 to \(maxHours), not \(value)")
        }
    }

    /// A finite number of seconds from `minimum` (0 unless given) to `maximum`.
    static func seconds(_ value: Double, _ option: String, minimum: Double = 0, maximum: Double = maxSeconds) throws {
        guard value.isFinite, value >= minimum, value <= maximum else {
            throw ValidationError(
                "\(option) must be a number of seconds from \(minimum.formatted) to \(maximum.formatted), not \(value)")
        }
    }

    /// A fraction from 0 to 1 (`nan` is not one).
    static func fraction(_ value: Double, _ option: String) throws {
        guard value.isFinite, (0...1).contains(value) else {
            throw ValidationError("\(option) must be between 0 and 1, not \(value)")
        }
    }

    static func count(_ value: Int, _ option: String, atLeast minimum: Int) throws {
        guard value >= minimum else { throw ValidationError("\(option) must be \(minimum) or more, not \(value)") }
    }
}

extension Double {
    /// `5` rather than `5.0`, `0.1` as it is.
    fileprivate var formatted: String { rounded() == self && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
