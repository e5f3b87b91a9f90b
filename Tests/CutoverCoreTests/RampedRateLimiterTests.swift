import CutoverSupport
import Testing

/// The drain's throttle on a clock the test turns by hand: Firestore's 500/50/5 ramp, the `--max-rate`
/// ceiling, and a greedy caller that never gets ahead of the schedule nor falls behind it.
struct RampedRateLimiterTests {
    @Test func withoutRampOrCeilingNothingWaits() {
        var limiter = RampedRateLimiter(ramp: nil)
        #expect(!limiter.limits && limiter.rate(at: 0) == nil)
        for time in [0.0, 0.001, 0.002] { #expect(limiter.reserve(100_000, at: time) == 0) }
        #expect(limiter.allowance(within: 10) == .infinity)
    }

    @Test func startsAt500AndGrowsByHalfEveryFiveMinutesFromTheFirstRequest() {
        var limiter = RampedRateLimiter(ramp: .firestore)
        #expect(limiter.rate(at: 1_000) == 500, "before any request: the initial rate")
        _ = limiter.reserve(1, at: 1_000)
        #expect(limiter.origin == 1_000)
        #expect(limiter.rate(at: 1_299.999) == 500)
        #expect(limiter.rate(at: 1_300) == 750)
        #expect(limiter.rate(at: 1_600) == 1_125)
        #expect(limiter.rate(at: 1_900) == 1_687.5)
    }

    @Test func theBucketStartsFullWithOneSecondAndThenRefillsAtTheRate() {
        var limiter = RampedRateLimiter(ramp: .firestore)
        #expect(limiter.reserve(200, at: 0) == 0)
        #expect(limiter.reserve(200, at: 0) == 0)
        #expect(limiter.reserve(100, at: 0) == 0, "500 tokens: exactly the first second's worth")
        #expect(limiter.reserve(250, at: 0) == 0.5, "250 more are 250 / 500 s away")
        // Half a second later the debt is paid and nothing is left over.
        #expect(limiter.reserve(50, at: 0.5) == 0.1)
        // A long pause refills only one second's worth, not the whole pause.
        #expect(limiter.reserve(500, at: 100) == 0)
        #expect(limiter.reserve(1, at: 100) == 1.0 / 500)
    }

    @Test func aRequestLargerThanTheBucketWaitsForItsWholeDebt() {
        var limiter = RampedRateLimiter(ramp: nil, maxRate: 100)
        #expect(limiter.limits && limiter.rate(at: 0) == 100)
        #expect(limiter.reserve(500, at: 0) == 4, "100 tokens held, 400 owed at 100 a second")
        #expect(limiter.reserve(100, at: 4) == 1, "the debt was just repaid: this one waits for its own")
    }

    @Test func theCeilingCapsTheRamp() {
        var limiter = RampedRateLimiter(ramp: .firestore, maxRate: 600)
        _ = limiter.reserve(1, at: 0)
        #expect(limiter.rate(at: 10) == 500)
        #expect(limiter.rate(at: 300) == 600, "750 by the ramp, capped")
        #expect(limiter.rate(at: 3_000) == 600)
        #expect(RampedRateLimiter(ramp: .firestore, maxRate: 50).rate(at: 0) == 50)
    }

    @Test func allowanceIsTheStartingBucketPlusTheRefillAcrossWindows() {
        let ramp = RampedRateLimiter(ramp: .firestore)
        #expect(ramp.allowance(within: 0) == 500)
        #expect(ramp.allowance(within: 10) == 5_500)
        #expect(ramp.allowance(within: 600) == 500 + 500 * 300 + 750 * 300)
        #expect(RampedRateLimiter(ramp: nil, maxRate: 2_000).allowance(within: 3) == 8_000)
    }

    /// A caller that always sends as soon as it is allowed, in batches of 200, over twelve minutes (three
    /// windows): what it has sent by any moment stays within the allowance and at most one batch short of it.
    @Test func aGreedyCallerKeepsToTheAllowanceAcrossTheRamp() {
        var limiter = RampedRateLimiter(ramp: .firestore)
        var now = 0.0
        var sent = 0.0
        let batch = 200
        while now < 720 {
            let wait = limiter.reserve(batch, at: now)
            now += wait
            sent += Double(batch)
            #expect(sent <= limiter.allowance(within: now) + 1e-6, "ahead of the schedule at \(now) s")
            // A caller that had to wait sends the moment it may: nothing it was allowed is left unused.
            if wait > 0 {
                #expect(sent >= limiter.allowance(within: now) - Double(batch), "behind the schedule at \(now) s")
            }
        }
        // 500 + 500 × 300 + 750 × 300 + 1,125 × 120 operations in twelve minutes.
        #expect(abs(sent - limiter.allowance(within: 720)) <= Double(batch))
    }

    /// Batches sent at uneven times (a drain's reads and plans take what they take) never get more than
    /// the bucket's one second ahead of the rate.
    @Test func unevenCallersAreHeldToTheRate() {
        var limiter = RampedRateLimiter(ramp: nil, maxRate: 1_000)
        var now = 0.0
        var sent = 0
        for step in 0..<2_000 {
            now += Double(step % 7) * 0.013
            now += limiter.reserve(150, at: now)
            sent += 150
            #expect(Double(sent) <= 1_000 + 1_000 * now + 1e-6)
        }
    }
}
