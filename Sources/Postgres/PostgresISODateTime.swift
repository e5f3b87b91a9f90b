/// Dates and timestamps as PostgreSQL prints them under `DateStyle = ISO` — `2025-11-24`,
/// `2025-11-24 03:30:07.412+00`, `0044-03-15 BC`, `infinity` — turned into the values its binary format
/// carries: days (date) or microseconds (timestamp) since 2000-01-01, ±infinity as the integer extremes.
///
/// Only that printed form is accepted, and only values it can carry exactly. Anything else (another
/// DateStyle, a day the calendar lacks, `24:00:00`, more than six fractional digits, a timestamp with
/// time zone printed without its offset) is refused with nil, so the caller sends the text instead and
/// PostgreSQL's own parser decides: nothing is rounded or guessed here.
public enum PostgresISODateTime {
    /// Days from 0000-03-01 (proleptic Gregorian, astronomical years) to 2000-01-01: 2000-01-01 is day 730,425
    /// of Hinnant's count, which starts on a 1 March so that the leap day falls at the end of its year.
    private static let daysTo2000 = Int64(730_425)
    private static let microsecondsPerDay = Int64(86_400_000_000)

    /// A `date`: days since 2000-01-01 (`infinity` is `Int32.max`, `-infinity` `Int32.min`).
    public static func date(_ text: UnsafeRawBufferPointer) -> Int32? {
        if equals(text, "infinity") { return .max }
        if equals(text, "-infinity") { return .min }
        var cursor = Cursor(text)
        guard let date = cursor.date(), let days = cursor.era(of: date), cursor.atEnd else { return nil }
        // Int32.max and .min stand for ±infinity: a finite day may not take them.
        guard let value = Int32(exactly: days), value != .max, value != .min else { return nil }
        return value
    }

    /// A `timestamp with time zone` (`withOffset`, which must then be printed) or `timestamp without time
    /// zone` (which must have none): microseconds since 2000-01-01 00:00 UTC (±infinity as `Int64.max`/`.min`).
    public static func timestamp(_ text: UnsafeRawBufferPointer, withOffset: Bool) -> Int64? {
        if equals(text, "infinity") { return .max }
        if equals(text, "-infinity") { return .min }
        var cursor = Cursor(text)
        guard let date = cursor.date(), cursor.take(UInt8(ascii: " ")), let time = cursor.time() else { return nil }
        var offsetSeconds = Int64(0)
        if withOffset {
            guard let offset = cursor.offset() else { return nil }
            offsetSeconds = offset
        }
        // The era is printed last, after the offset, but it is the date's.
        guard let days = cursor.era(of: date), cursor.atEnd else { return nil }
        let (dayMicros, overflow) = days.multipliedReportingOverflow(by: microsecondsPerDay)
        guard !overflow else { return nil }
        let (local, overflow2) = dayMicros.addingReportingOverflow(time)
        guard !overflow2 else { return nil }
        let (utc, overflow3) = local.subtractingReportingOverflow(offsetSeconds * 1_000_000)
        guard !overflow3, utc != .max, utc != .min else { return nil }
        return utc
    }

    /// Days since 2000-01-01 of a proleptic Gregorian date in astronomical years (1 BC is year 0).
    static func daysSince2000(year: Int64, month: Int64, day: Int64) -> Int64 {
        // Howard Hinnant's days_from_civil, counted from 0000-03-01 then moved to 2000-01-01.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - daysTo2000
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func equals(_ text: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        text.count == word.utf8CodeUnitCount
            && text.elementsEqual(UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    /// A date as printed, before its era (AD unless ` BC` follows) is known.
    private struct PrintedDate {
        let year: Int64
        let month: Int64
        let day: Int64
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// Exactly `count` digits (`count` 0: four to seven, as a year is printed; dates reach 5874897).
        mutating func digits(_ count: Int) -> Int64? {
            var value = Int64(0)
            var taken = 0
            while index < bytes.count, bytes[index] &- 48 < 10, count == 0 ? taken < 7 : taken < count {
                value = value * 10 + Int64(bytes[index] - 48)
                index += 1
                taken += 1
            }
            return count == 0 ? (taken >= 4 ? value : nil) : (taken == count ? value : nil)
        }

        mutating func date() -> PrintedDate? {
            guard let year = digits(0), year >= 1, take(UInt8(ascii: "-")), let month = digits(2),
                take(UInt8(ascii: "-")), let day = digits(2), (1...12).contains(month), day >= 1
            else { return nil }
            return PrintedDate(year: year, month: month, day: day)
        }

        /// `HH:MM:SS` with up to six fractional digits, as microseconds since midnight.
        mutating func time() -> Int64? {
            guard let hour = digits(2), take(UInt8(ascii: ":")), let minute = digits(2), take(UInt8(ascii: ":")),
                let second = digits(2), hour < 24, minute < 60, second < 60
            else { return nil }
            var micros = Int64(0)
            if take(UInt8(ascii: ".")) {
                var taken = 0
                while index < bytes.count, bytes[index] &- 48 < 10 {
                    guard taken < 6 else { return nil }
                    micros = micros * 10 + Int64(bytes[index] - 48)
                    index += 1
                    taken += 1
                }
                guard taken > 0 else { return nil }
                for _ in taken..<6 { micros *= 10 }
            }
            return ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros
        }

        /// `±HH`, `±HH:MM` or `±HH:MM:SS`, in seconds east of UTC.
        mutating func offset() -> Int64? {
            let sign: Int64
            if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
            guard let hours = digits(2), hours <= 15 else { return nil }
            var seconds = hours * 3600
            if take(UInt8(ascii: ":")) {
                guard let minutes = digits(2), minutes < 60 else { return nil }
                seconds += minutes * 60
                if take(UInt8(ascii: ":")) {
                    guard let extra = digits(2), extra < 60 else { return nil }
                    seconds += extra
                }
            }
            return sign * seconds
        }

        /// Takes an optional ` BC` and gives `date`'s days since 2000-01-01 in that era; nil when the calendar
        /// lacks that day (year n BC is astronomical year 1 - n, whose leap years are not year n's).
        mutating func era(of date: PrintedDate) -> Int64? {
            var year = date.year
            if index + 3 == bytes.count, bytes[index] == 32, bytes[index + 1] == 66, bytes[index + 2] == 67 {
                index += 3
                year = 1 - year
            }
            let length: Int64
            switch date.month {
            case 2: length = isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: length = 30
            default: length = 31
            }
            guard date.day <= length else { return nil }
            return daysSince2000(year: year, month: date.month, day: date.day)
        }
    }
}
