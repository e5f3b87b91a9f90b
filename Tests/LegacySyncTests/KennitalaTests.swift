import CutoverCore
import CutoverDemo
import LegacySync
import Testing

struct KennitalaTests {
    @Test func checkDigitRules() {
        // The known orphan of the status document fails its check digit: a warning, never a rejection.
        #expect(!Kennitala.hasValidCheckDigit("0103097930"))
        #expect(Kennitala.isWellFormed("0103097930"))
        #expect(Kennitala.hasValidCheckDigit("1201743399"))
        #expect(Kennitala.hasValidCheckDigit("120174-3399"))
        #expect(Kennitala.normalised("120174-3399") == "1201743399")
        #expect(Kennitala.hyphenated("1201743399") == "120174-3399")
        #expect(!Kennitala.isWellFormed("12017A3399"))
        #expect(!Kennitala.isWellFormed("120174339"))
        #expect(Kennitala.isPlaceholder("9999001234"))
    }

    @Test func demoSequenceIsUniqueAndValid() {
        let values = KennitalaSequence.generate(count: 50_000)
        #expect(Set(values).count == values.count)
        #expect(values.allSatisfy { Kennitala.hasValidCheckDigit(KennitalaSequence.text($0)) })
        #expect(KennitalaSequence.generate(count: 10) == Array(values.prefix(10)))
    }
}
