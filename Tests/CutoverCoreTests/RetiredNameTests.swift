import CutoverCore
import Testing

/// How retirement renames the table's indexes and sequence within PostgreSQL's 63-byte names.
struct RetiredNameTests {
    @Test func shortNamesGetTheSuffixAsTheyAre() {
        #expect(
            Retirement.retiredName(of: "membership_membersyncqueue_pkey", suffix: "_retired_20261126")
                == "membership_membersyncqueue_pkey_retired_20261126")
    }

    /// Cut names keep the date (a cut suffix made the same index retired on two dates collide) and a
    /// digest of the whole name (two long names that share their first 50 bytes stay apart).
    @Test func longNamesKeepTheWholeSuffixAndStayApart() {
        let like = "membership_membersyncqueue_sync_status_5a6b9e0f_like"
        let plain = "membership_membersyncqueue_sync_status_5a6b9e0f_lik2"
        let first = Retirement.retiredName(of: like, suffix: "_retired_20261126")
        let later = Retirement.retiredName(of: like, suffix: "_retired_20270101")
        let other = Retirement.retiredName(of: plain, suffix: "_retired_20261126")
        for name in [first, later, other] {
            #expect(name.utf8.count == 63, "\(name)")
            #expect(name.hasPrefix("membership_membersyncqueue_sync_stat"))
        }
        #expect(first.hasSuffix("_retired_20261126") && later.hasSuffix("_retired_20270101"))
        #expect(Set([first, later, other]).count == 3)
        #expect(first.dropLast(17) == later.dropLast(17), "the same index gets the same stem on any date")
    }
}
