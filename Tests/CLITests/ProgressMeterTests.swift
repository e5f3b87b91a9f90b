import CutoverSupport
import Foundation
import Testing

@testable import CutoverCLI

/// A clock the test moves by hand: the meter's rate and ETA and the display's intervals are exact,
/// and nothing sleeps.
final class ManualSeconds: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 1_000.0
    var clock: ProgressMeter.Clock { { [self] in lock.withLock { seconds } } }
    func advance(_ by: Double) { lock.withLock { seconds += by } }
}

/// Heartbeat timers the test fires by hand: which were started, with what period, and which were cancelled.
final class ManualHeartbeats: @unchecked Sendable {
    final class Timer: HeartbeatTimer, @unchecked Sendable {
        let seconds: Double
        let fire: @Sendable () -> Void
        private let lock = NSLock()
        private var stopped = false
        init(seconds: Double, fire: @escaping @Sendable () -> Void) {
            self.seconds = seconds
            self.fire = fire
        }
        var cancelled: Bool { lock.withLock { stopped } }
        func cancel() { lock.withLock { stopped = true } }
    }

    private let lock = NSLock()
    private var started: [Timer] = []
    var factory: HeartbeatTimerFactory {
        { [self] seconds, fire in
            let timer = Timer(seconds: seconds, fire: fire)
            lock.withLock { started.append(timer) }
            return timer
        }
    }
    var all: [Timer] { lock.withLock { started } }
    var running: [Timer] { all.filter { !$0.cancelled } }
    /// What a real timer does on its period: calls back, unless cancelled.
    func tick() { for timer in running { timer.fire() } }
}

/// Collects what a display writes, in order.
final class WrittenText: @unchecked Sendable {
    private let lock = NSLock()
    private var pieces: [String] = []
    var write: @Sendable (String) -> Void { { [self] text in lock.withLock { pieces.append(text) } } }
    var all: [String] { lock.withLock { pieces } }
}

struct ProgressMeterTests {
    @Test func countPercentageRateAndTimeLeft() {
        let time = ManualSeconds()
        let meter = ProgressMeter(clock: time.clock)
        time.advance(2)
        let reading = meter.reading(1_000, of: 5_000)
        #expect(reading.percent == 20)
        #expect(reading.rate == 500)
        #expect(reading.secondsLeft == 8)
        #expect(
            meter.line("drain", 2_000, of: 5_000, unit: "rows") == "drain: 2,000/5,000 rows 40% 1,000 rows/s ETA 0:03")
    }

    @Test func withoutATotalThereIsNoPercentageNorETA() {
        let time = ManualSeconds()
        let meter = ProgressMeter(clock: time.clock)
        time.advance(4)
        #expect(meter.line("verify", 40_000, unit: "documents") == "verify: 40,000 documents 10,000 documents/s")
    }

    @Test func beforeAnyTimeHasPassedTheRateAndETAAreUnknown() {
        let time = ManualSeconds()
        let meter = ProgressMeter(clock: time.clock)
        #expect(meter.line("drain", 0, of: 7_000, unit: "rows") == "drain: 0/7,000 rows 0% ETA --:--")
    }

    /// The rate is the current one, measured over the last window, so a drain that slows down (a target
    /// throttling it) shows its speed now and an ETA from it.
    @Test func theRateFollowsTheLastWindowNotTheWholeRun() {
        let time = ManualSeconds()
        let meter = ProgressMeter(clock: time.clock, window: 10)
        var done = 0
        for _ in 0..<10 {  // 10 s at 1,000 rows/s
            time.advance(1)
            done += 1_000
            _ = meter.reading(done, of: 100_000)
        }
        for _ in 0..<20 {  // then 20 s at 100 rows/s
            time.advance(1)
            done += 100
            _ = meter.reading(done, of: 100_000)
        }
        let reading = meter.reading(done, of: 100_000)
        #expect(reading.rate.map { abs($0 - 100) < 0.001 } == true, "\(String(describing: reading.rate))")
        #expect(reading.secondsLeft.map { abs($0 - 880) < 0.1 } == true)
    }

    /// A total that is only an estimate (PostgreSQL's planner statistics, the register for the documents) is
    /// marked with `~`, and so are the percentage and the time left it gives.
    @Test func anEstimatedTotalIsMarkedWithATilde() {
        let time = ManualSeconds()
        let meter = ProgressMeter(clock: time.clock)
        time.advance(4)
        #expect(
            meter.line("verify", ProgressCount(40_000, of: 100_000, estimated: true, unit: "documents"))
                == "verify: 40,000/~100,000 documents ~40% 10,000 documents/s ETA ~0:06")
        // Past an estimate: capped, not 120%.
        time.advance(4)
        #expect(
            meter.line("snapshot", ProgressCount(120_000, of: 100_000, estimated: true, unit: "queue rows"))
                == "snapshot: 120,000/~100,000 queue rows ~100% 15,000 queue rows/s ETA ~0:00")
        #expect(ProgressCount(5, estimated: true, unit: "rows").totalIsEstimate == false, "no total, no estimate")
    }

    @Test func bytesAreShownInMegabytes() {
        let time = ManualSeconds()
        let meter = ProgressMeter(clock: time.clock)
        time.advance(4)
        #expect(
            meter.line("archive verify", ProgressCount(12_000_000, of: 40_000_000, unit: ProgressCount.bytes))
                == "archive verify: 12.0/40.0 MB 30% 3.0 MB/s ETA 0:10")
    }

    /// Each counted phase has its own rate: a phase that starts counting again gets a fresh meter.
    @Test func theCounterStartsAFreshMeterWhenAStepCountsAgain() {
        let time = ManualSeconds()
        let written = WrittenText()
        let display = ProgressDisplay(clock: time.clock, write: written.write)
        display.configure(mode: .tty)
        let counter = ProgressCounter("archive extract", display: display, clock: time.clock)
        counter(ProgressCount(0, of: 100, unit: "rows"))
        time.advance(10)
        counter(ProgressCount(100, of: 100, unit: "rows"))
        counter(ProgressCount(0, of: 40, unit: "rows"))
        time.advance(1)
        counter(ProgressCount(20, of: 40, unit: "rows"))
        #expect(
            written.all.map { $0.replacingOccurrences(of: "\r\u{1B}[K", with: "") } == [
                "archive extract: 0/100 rows 0% ETA --:--", "archive extract: 100/100 rows 100% 10 rows/s ETA 0:00",
                "archive extract: 20/40 rows 50% 20 rows/s ETA 0:01",
            ])
    }

    @Test func numbersAndDurationsReadAtAGlance() {
        #expect(ProgressMeter.grouped(0) == "0")
        #expect(ProgressMeter.grouped(999) == "999")
        #expect(ProgressMeter.grouped(1_000) == "1,000")
        #expect(ProgressMeter.grouped(1_234_567) == "1,234,567")
        #expect(ProgressMeter.duration(7) == "0:07")
        #expect(ProgressMeter.duration(750) == "12:30")
        #expect(ProgressMeter.duration(7_500) == "2:05:00")
        #expect(ProgressMeter.duration(0.2) == "0:01")
    }
}

struct ProgressDisplayTests {
    @Test func plainWritesALinePerIntervalAndEveryPhaseAtOnce() {
        let time = ManualSeconds()
        let written = WrittenText()
        let display = ProgressDisplay(clock: time.clock, write: written.write)
        display.configure(mode: .plain, interval: 5)
        display.phases("snapshot", total: 2)
        display.phase("copying queue table q")
        for second in 1...12 {
            time.advance(1)
            display.update("rows \(second)")
        }
        display.phase("serialising the member register")
        #expect(
            written.all == [
                "… snapshot 1/2: copying queue table q\n", "… rows 5\n", "… rows 10\n",
                "… snapshot 2/2: serialising the member register\n",
            ])
        display.clearLine()  // nothing to clear off a terminal
        #expect(written.all.count == 4)
    }

    @Test func theDefaultPlainIntervalIsBetweenFiveAndTenSeconds() {
        #expect((5...10).contains(ProgressDisplay.defaultInterval))
    }

    @Test func ttyRedrawsOneLineInPlaceAtMostTenTimesASecond() {
        let time = ManualSeconds()
        let written = WrittenText()
        let display = ProgressDisplay(clock: time.clock, write: written.write)
        display.configure(mode: .tty)
        display.update("drain: 1")
        time.advance(0.05)
        display.update("drain: 2")  // too soon: skipped
        time.advance(0.06)
        display.update("drain: 3")
        display.phase("a phase")  // phases are drawn at once
        display.clearLine()
        display.clearLine()  // once is enough
        #expect(
            written.all == [
                "\r\u{1B}[Kdrain: 1", "\r\u{1B}[Kdrain: 3", "\r\u{1B}[Ka phase", "\r\u{1B}[K",
            ])
    }

    @Test func noneAndQuietWriteNothing() throws {
        let time = ManualSeconds()
        let written = WrittenText()
        let display = ProgressDisplay(clock: time.clock, write: written.write)
        display.configure(mode: .none)
        display.phase("copying")
        display.update("drain: 1")
        display.clearLine()
        #expect(written.all.isEmpty)
        // -q is --quiet, which turns progress off whatever --progress says.
        let parsed = try CutoverCommand.Drain.parse(["--source", "sqlite:x", "-q", "--progress", "plain"])
        #expect(parsed.output.quiet && parsed.output.progressMode == .plain)
    }

    /// Off a terminal a phase that reports nothing still gets a line every interval, from a timer started with
    /// the phase: its name, how long it has run, and its last count when it had one.
    @Test func plainWritesAHeartbeatWhileAPhaseIsSilent() throws {
        let time = ManualSeconds()
        let written = WrittenText()
        let heartbeats = ManualHeartbeats()
        let display = ProgressDisplay(clock: time.clock, write: written.write, heartbeat: heartbeats.factory)
        display.configure(mode: .plain, interval: 5)
        display.phases("snapshot", total: 2)
        display.phase("hashing")
        let timer = try #require(heartbeats.running.first)
        #expect(heartbeats.all.count == 1 && timer.seconds == 2.5)
        time.advance(2.5)
        heartbeats.tick()  // the phase's own line was 2.5 s ago: nothing yet
        time.advance(2.5)
        heartbeats.tick()
        time.advance(2.5)
        heartbeats.tick()  // the heartbeat was 2.5 s ago
        time.advance(33.5)
        heartbeats.tick()
        display.update("snapshot: 10/20 rows 50%")  // just after a line: held back, kept for the next beat
        time.advance(5)
        heartbeats.tick()
        time.advance(24)
        heartbeats.tick()
        #expect(
            written.all == [
                "… snapshot 1/2: hashing\n", "… snapshot 1/2: hashing, 5 s\n", "… snapshot 1/2: hashing, 41 s\n",
                "… snapshot 1/2: hashing, 46 s · snapshot: 10/20 rows 50%\n",
                "… snapshot 1/2: hashing, 1:10 · snapshot: 10/20 rows 50%\n",
            ])
    }

    /// The heartbeat belongs to its phase: the next phase cancels it (a tick already under way says nothing),
    /// and the end of the command cancels the last one.
    @Test func theHeartbeatStopsWhenItsPhaseEnds() throws {
        let time = ManualSeconds()
        let written = WrittenText()
        let heartbeats = ManualHeartbeats()
        let display = ProgressDisplay(clock: time.clock, write: written.write, heartbeat: heartbeats.factory)
        display.configure(mode: .plain, interval: 5)
        display.phase("reading")
        let first = try #require(heartbeats.running.first)
        display.phase("packing")
        #expect(first.cancelled && heartbeats.running.count == 1)
        time.advance(6)
        first.fire()  // a tick of the cancelled timer, already running when it was cancelled
        #expect(written.all == ["… reading\n", "… packing\n"])
        heartbeats.tick()
        #expect(written.all.last == "… packing, 6 s\n")
        display.endPhase()  // a follow loop goes to sleep
        #expect(heartbeats.running.isEmpty)
        display.phase("applying")
        display.finish()
        time.advance(60)
        for timer in heartbeats.all { timer.fire() }
        #expect(heartbeats.running.isEmpty && written.all.count == 4, "\(written.all)")
    }

    /// A terminal's line is redrawn by the updates themselves, and `none` (`-q`) shows nothing: no timer.
    @Test func noHeartbeatOnATerminalOrWhenQuiet() {
        for mode in [ProgressMode.tty, .none] {
            let heartbeats = ManualHeartbeats()
            let display = ProgressDisplay(
                clock: ManualSeconds().clock, write: WrittenText().write, heartbeat: heartbeats.factory)
            display.configure(mode: mode, interval: 5)
            display.phase("hashing")
            #expect(heartbeats.all.isEmpty, "\(mode)")
        }
    }

    @Test func controlCharactersInAPhaseAreEscaped() {
        let written = WrittenText()
        let display = ProgressDisplay(clock: ManualSeconds().clock, write: written.write)
        display.configure(mode: .plain, interval: 5)
        display.phase("packing evil\u{1B}]0;title\u{07}.tar.gz")
        #expect(written.all.count == 1 && !written.all[0].contains("\u{1B}"))
    }
}

struct VerbosityTests {
    @Test func dashVIsInfoDashVVIsDebugAndLogLevelIsNeverRaised() throws {
        func level(_ arguments: [String]) throws -> String {
            "\(try CutoverCommand.Snapshot.parse(["--source", "sqlite:x"] + arguments).output.effectiveLevel)"
        }
        #expect(try level([]) == "warning")
        #expect(try level(["-v"]) == "info")
        #expect(try level(["-vv"]) == "debug")
        #expect(try level(["--verbose", "--verbose", "--verbose"]) == "debug")
        #expect(try level(["--log-level", "trace", "-v"]) == "trace")
        #expect(try level(["--log-level", "error"]) == "error")
        // The servers and `parity rules` take the same options; the servers log from info by default.
        let firestore = try CutoverCommand.Firestore.Serve.parse(["--data", "x", "-v"]).output
        #expect("\(firestore.effectiveLevel)" == "info")
        let shadow = try CutoverCommand.Shadow.Serve.parse(["--record", "r", "-vv"]).output
        #expect("\(shadow.effectiveLevel)" == "debug")
        let quietServer = try CutoverCommand.Shadow.Serve.parse(["--record", "r", "--log-level", "warning"]).output
        #expect("\(quietServer.effectiveLevel)" == "warning")
        let rules = try CutoverCommand.Parity.Rules.parse(["--log-level", "debug"]).output
        #expect("\(rules.effectiveLevel)" == "debug")
    }
}
