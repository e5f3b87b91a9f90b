import CutoverCore
import CutoverSupport
import Testing

struct TimestampTests {
    @Test(arguments: [
        "2025-11-24 03:30:07.412+00", "2025-11-24 03:30:07.412", "2025-11-24T03:30:07.412Z",
        "2025-11-24T03:30:07.412000+00:00", "2025-11-24 05:30:07.412+02", "2025-11-24T00:00:07.412-03:30",
    ])
    func parsesEveryLegacyForm(_ text: String) throws {
        let value = try #require(Timestamp(parsing: text))
        #expect(value.iso8601 == "2025-11-24T03:30:07.412Z")
    }

    @Test func keepsMicrosecondsAndFormatsLikeEachSystem() throws {
        let value = try #require(Timestamp(parsing: "2025-11-05 17:45:06.000123+00"))
        #expect(value.iso8601 == "2025-11-05T17:45:06.000123Z")
        #expect(value.pythonISOFormat == "2025-11-05T17:45:06.000123+00:00")
        #expect(value.postgresText == "2025-11-05 17:45:06.000123")
        #expect(Timestamp(parsing: "1969-12-31T23:59:59Z")!.microseconds == -1_000_000)
        #expect(Timestamp(parsing: "1969-12-31T23:59:59Z")!.iso8601 == "1969-12-31T23:59:59Z")
    }

    @Test(arguments: [
        "", "2025-11-24", "2025-13-01 00:00:00", "2025-11-24 03:30", "2025-11-24 03:30:07.", "tomorrow",
        "2025-11-24 03:30:07+0",
    ])
    func rejectsWhatIsNotATimestamp(_ text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }
}
