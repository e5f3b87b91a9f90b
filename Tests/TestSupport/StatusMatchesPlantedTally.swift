import CutoverCore
import CutoverDemo
import LegacySync
import Testing

/// Asserts that `status` found exactly what the demo generator planted, class by class.
public func expectStatus(
    _ status: QueueStatus, matches tally: DemoTally, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(status.totalRows == tally.totalRows, "total rows", sourceLocation: sourceLocation)
    for action in QueueRow.Action.allCases {
        for state in QueueRow.Status.allCases {
            #expect(
                status.count(status: state.rawValue, action: action.rawValue)
                    == (tally.byStatusAction[state.rawValue]?[action.rawValue] ?? 0),
                "\(state) × \(action)", sourceLocation: sourceLocation)
        }
    }
    #expect(status.pendingFresh == tally.pendingFresh, "fresh pending", sourceLocation: sourceLocation)
    #expect(status.pendingStranded == tally.pendingStranded, "stranded pending", sourceLocation: sourceLocation)
    #expect(status.pendingUnclassified == 0, sourceLocation: sourceLocation)
    #expect(
        status.failedByRetryCount == tally.failedByRetryCount, "failed by retry count", sourceLocation: sourceLocation)
    #expect(status.orphanDeletes.count == tally.orphanDeletes, "orphan deletes", sourceLocation: sourceLocation)
    #expect(status.allDroppedTotal == tally.allDroppedUpdates, "all-dropped updates", sourceLocation: sourceLocation)
    #expect(status.placeholderRows == tally.placeholderRows, "9999 rows", sourceLocation: sourceLocation)
    #expect(
        status.checkDigitWarnings.count == tally.invalidCheckDigitRows, "check digit", sourceLocation: sourceLocation)
    #expect(status.hyphenatedSSNRows == tally.hyphenatedRows, "hyphenated", sourceLocation: sourceLocation)
    #expect(status.invalidRowCount == 0, sourceLocation: sourceLocation)
    // The famous orphan is always among them.
    #expect(
        status.orphanDeletes.contains { $0.ssn == DemoQueueGenerator.knownOrphanSSN }, sourceLocation: sourceLocation)
}

public func statusOptions() -> QueueStatusCollector.Options {
    var options = QueueStatusCollector.Options(asOf: DemoTimeline.freshEnd)
    options.lastRun = DemoTimeline.lastSuccessfulRunCompleted
    options.lastRunOrigin = "test"
    return options
}

public func seedPlan(
    members: Int = 600, queueRows: Int = 2_500, flavour: DemoSchema.Flavour = .django, seed: UInt64 = 7
)
    -> DemoSeeder.Plan
{
    var plan = DemoSeeder.Plan()
    plan.members = members
    plan.queueRows = queueRows
    plan.flavour = flavour
    plan.seed = seed
    return plan
}
