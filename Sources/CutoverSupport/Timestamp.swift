import Foundation

/// A point in time with microsecond precision, as PostgreSQL, Django and Firestore store it
/// (Firestore keeps timestamps to the microsecond, rounding finer input down).
///
/// Parsing is hand-written because it runs once or twice per queue row on millions of rows, and
/// accepts every form the legacy tables hold: `2025-11-24 03:30:05.123456+00` (timestamptz text
/// output), the same without a zone (the hand-written `timestamp` variant; Django on SQLite), and
/// ISO 8601 with `T` and `Z`. A value without a zone is taken as UTC: Iceland keeps UTC all year,
/// so Django's local time and UTC agree.
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public init(seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    /// The wall clock, to the microsecond.
    public static var now: Timestamp { Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.microseconds < rhs.microseconds }

    public func adding(seconds: Int64) -> Timestamp { .init(microseconds: microseconds + seconds * 1_000_000) }

    /// Parses the forms listed above; nil when the text is none of them.
    public init?(parsing text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = value
    }

    public init?(parsing bytes: UnsafeRawBufferPointer) {
        guard
            let value = Self.parse(
                UnsafeBufferPointer(
                    start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    count: bytes.count))
        else { return nil }
        self = value
    }

    /// A calendar date (`YYYY-MM-DD`) at midnight UTC.
    public init?(date text: String) {
        guard let value = Timestamp(parsing: text + " 00:00:00") else { return nil }
        self = value
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
                i += 1
            }
            return value
        }
        func expect(_ characters: UInt8...) -> Bool {
            guard i < b.count, characters.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            expect(32, 84), let hour = digits(2), expect(58), let minute = digits(2), expect(58),
            let second = digits(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros = 0
        if i < b.count && b[i] == 46 {  // '.'
            i += 1
            var scale = 100_000
            var any = false
            while i < b.count, b[i] >= 48 && b[i] <= 57 {
                micros += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
                any = true
            }
            guard any else { return nil }
        }
        var offsetSeconds = 0
        if i < b.count {
            if b[i] == 90 {  // 'Z'
                i += 1
            } else if b[i] == 43 || b[i] == 45 {  // '+' '-'
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let hours = digits(2) else { return nil }
                var minutes = 0
                if i < b.count {
                    _ = expect(58)
                    guard let parsed = digits(2) else { return nil }
                    minutes = parsed
                    if i < b.count, b[i] == 58 {  // seconds in old zones: +00:00:00
                        i += 1
                        guard digits(2) != nil else { return nil }
                    }
                }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Timestamp(microseconds: seconds * 1_000_000 + Int64(micros))
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private var parts: (date: (year: Int, month: Int, day: Int), seconds: Int, micros: Int) {
        let totalSeconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = Int(microseconds - totalSeconds * 1_000_000)
        let days = Int(totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400)
        return (Self.civilFromDays(days), Int(totalSeconds - Int64(days) * 86_400), micros)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// `YYYY-MM-DD`.
    public var dateString: String {
        let (date, _, _) = parts
        return "\(Self.pad(date.year, 4))-\(Self.pad(date.month, 2))-\(Self.pad(date.day, 2))"
    }

    /// RFC 3339 in UTC with `Z`, with 0, 3 or 6 fraction digits as Firestore writes them:
    /// `2025-11-24T03:30:05Z`, `…05.412Z`, `…05.412345Z`.
    public var iso8601: String {
        let (_, seconds, micros) = parts
        var text = "\(dateString)T\(Self.pad(seconds / 3600, 2)):\(Self.pad(seconds / 60 % 60, 2)):"
        text += Self.pad(seconds % 60, 2)
        if micros != 0 { text += micros % 1000 == 0 ? "." + Self.pad(micros / 1000, 3) : "." + Self.pad(micros, 6) }
        return text + "Z"
    }

    /// Python's `datetime.isoformat()` for an aware UTC value, as the legacy Django code produced it:
    /// `2025-11-24T03:30:05.120000+00:00` (`.ffffff` only when non-zero).
    public var pythonISOFormat: String {
        let (_, seconds, micros) = parts
        var text = "\(dateString)T\(Self.pad(seconds / 3600, 2)):\(Self.pad(seconds / 60 % 60, 2)):"
        text += Self.pad(seconds % 60, 2)
        if micros != 0 { text += "." + Self.pad(micros, 6) }
        return text + "+00:00"
    }

    /// PostgreSQL's timestamptz output in UTC: `2025-11-24 03:30:05.12+00` (trailing zeros trimmed).
    public var postgresText: String {
        let (_, seconds, micros) = parts
        var text =
            "\(dateString) "
            + "\(Self.pad(seconds / 3600, 2)):\(Self.pad(seconds / 60 % 60, 2)):\(Self.pad(seconds % 60, 2))"
        if micros != 0 {
            var fraction = Self.pad(micros, 6)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }

    public var description: String { iso8601 }
}
