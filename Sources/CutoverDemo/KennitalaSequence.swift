import CutoverSupport
import LegacySync

/// Unique, valid kennitölur for demo members, spread over birth dates 1900–2009.
///
/// Every (birth date, two-digit serial) pair is visited once in a scrambled order (an affine
/// permutation); pairs whose check digit cannot exist are skipped. The same count gives the same list.
public struct KennitalaSequence: Sendable {
    static let firstDay = Timestamp.daysFromCivil(year: 1900, month: 1, day: 1)
    static let dayCount = Timestamp.daysFromCivil(year: 2010, month: 1, day: 1) - firstDay
    static let space = dayCount * 100
    /// About 10 of every 11 pairs have a valid check digit; stay safely below that.
    public static let capacity = space / 10 * 9

    /// The first `count` numbers of the sequence, as 10-digit integers.
    public static func generate(count: Int) -> [UInt64] {
        precondition(count <= capacity, "at most \(capacity) demo kennitölur")
        // Any multiplier coprime with the space makes `k -> k * m + c (mod space)` a permutation.
        var multiplier = 2_654_435_761 % space
        while gcd(multiplier, space) != 1 { multiplier += 1 }
        var result: [UInt64] = []
        result.reserveCapacity(count)
        var k = 0
        while result.count < count {
            let slot = (k * multiplier + 12_345) % space
            k += 1
            let (year, month, day) = Timestamp.civilFromDays(firstDay + slot / 100)
            let serial = slot % 100
            let digits = [
                day / 10, day % 10, month / 10, month % 10, (year % 100) / 10, year % 10, serial / 10, serial % 10,
            ]
            guard let check = Kennitala.checkDigit(digits) else { continue }
            let century = year >= 2000 ? 0 : 9
            var value: UInt64 = 0
            for digit in digits + [check, century] { value = value * 10 + UInt64(digit) }
            result.append(value)
        }
        return result
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Ten digits with leading zeros.
    public static func text(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 10 - digits.count) + digits
    }
}
