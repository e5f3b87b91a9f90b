import CutoverSupport

/// What `demo seed` reports: where it wrote, and the tally of what it planted.
extension DemoSeeder.Summary {
    public var json: JSONValue {
        [
            "target": .string(target),
            "engine": .string(engine),
            "table": .string(table.description),
            "flavour": .string(flavour.rawValue),
            "members": .integer(Int64(members)),
            "placeholder_members": .integer(Int64(placeholderMembers)),
            "last_successful_run": .string(lastSuccessfulRun.iso8601),
            "planted": tally.json,
        ]
    }

    public var text: String {
        """
        Seeded \(target) (\(engine))
          members     \(members) (\(placeholderMembers) 9999 placeholders)
          queue       \(table), \(flavour.rawValue) flavour, \(tally.totalRows) rows
          pending     \(tally.pendingFresh) fresh, \(tally.pendingStranded) stranded
          failed      \(tally.failedByRetryCount.values.reduce(0, +))
          orphans     \(tally.orphanDeletes) deletes
          dropped     \(tally.allDroppedUpdates) updates whose every field Path A dropped
          last successful nightly run completed \(lastSuccessfulRun.iso8601)
          next: cutover status --source … --last-run \(lastSuccessfulRun.iso8601)

        """
    }
}

extension DemoTally {
    public var json: JSONValue {
        [
            "total_rows": .integer(Int64(totalRows)),
            "by_status_action": .object(byStatusAction.mapValues { .object($0.mapValues { .integer(Int64($0)) }) }),
            "pending_fresh": .integer(Int64(pendingFresh)),
            "pending_stranded": .integer(Int64(pendingStranded)),
            "failed_by_retry_count": .object(
                Dictionary(
                    uniqueKeysWithValues: failedByRetryCount.map {
                        (String($0.key), JSONValue.integer(Int64($0.value)))
                    })),
            "orphan_deletes": .integer(Int64(orphanDeletes)),
            "all_dropped_updates": .integer(Int64(allDroppedUpdates)),
            "placeholder_rows": .integer(Int64(placeholderRows)),
            "check_digit_warning_rows": .integer(Int64(invalidCheckDigitRows)),
            "hyphenated_rows": .integer(Int64(hyphenatedRows)),
        ]
    }
}

extension DemoFirestoreSeeder.Summary {
    public func json(store: String) -> JSONValue {
        [
            "store": .string(store),
            "members_path_a": .integer(Int64(pathAMembers)), "members_path_b": .integer(Int64(pathBMembers)),
            "members_merged": .integer(Int64(mergedMembers)), "members_deleted": .integer(Int64(deletedMembers)),
            "failed_creates": .integer(Int64(failedCreates)), "sync_logs": .integer(Int64(syncLogs)),
            "failed_runs": .integer(Int64(failedRuns)),
            "sync_queue": .object(syncQueue.mapValues { .integer(Int64($0)) }),
            "sync_queue_camel_case": .integer(Int64(camelCaseQueueDocuments)),
            "last_successful_run": .string(lastSuccessfulRun.iso8601),
        ]
    }

    public func text(store: String) -> String {
        """
        Firestore \(store)
          members     \(pathAMembers) as Path A wrote them (\(mergedMembers) since merged by Path B), \(pathBMembers) \
        by Path B, \(deletedMembers) deleted, \(failedCreates) never created (the legacy create failed)
          sync_logs   \(syncLogs) runs (\(failedRuns) failed)
          sync_queue  \(syncQueue.keys.sorted().map { "\($0) \(syncQueue[$0]!)" }.joined(separator: ", ")) \
        (\(camelCaseQueueDocuments) in camelCase naming)

        """
    }
}
