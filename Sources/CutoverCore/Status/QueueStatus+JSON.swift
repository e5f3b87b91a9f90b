import CutoverSupport
import LegacySync

/// `cutover status --json`: every number of the text view, with sorted keys (stable for scripts).
extension QueueStatus {
    public func json(masker: Masker) -> JSONValue {
        func counts(_ table: [String: Int]) -> JSONValue {
            .object(table.mapValues { .integer(Int64($0)) })
        }
        var pending: [String: JSONValue] = [
            "total": .integer(Int64(pendingTotal)), "fresh": .integer(Int64(pendingFresh)),
            "stranded": .integer(Int64(pendingStranded)), "unclassified": .integer(Int64(pendingUnclassified)),
            "last_successful_run": JSONValue(lastRun?.iso8601), "last_run_origin": .string(lastRunOrigin),
        ]
        if let oldestPending {
            pending["oldest"] = [
                "row_id": .integer(oldestPending.id), "created_at": .string(oldestPending.createdAt.iso8601),
                "age_seconds": .integer((asOf.microseconds - oldestPending.createdAt.microseconds) / 1_000_000),
            ]
        }
        return [
            "source": .string(source),
            "engine": .string(engineVersion),
            "table": .string(table.description),
            "as_of": .string(asOf.iso8601),
            "total_rows": .integer(Int64(totalRows)),
            "by_status_action": .object(byStatusAction.mapValues(counts)),
            "pending": .object(pending),
            "failed_by_retry_count": .object(
                Dictionary(
                    uniqueKeysWithValues: failedByRetryCount.map {
                        (String($0.key), JSONValue.integer(Int64($0.value)))
                    })),
            "orphan_deletes": [
                "count": .integer(Int64(orphanDeletes.count)),
                "rows": .array(
                    orphanDeletes.map {
                        [
                            "row_id": .integer($0.rowID), "ssn": .string(masker.kennitala($0.ssn)),
                            "created_at": .string($0.createdAt.iso8601),
                        ]
                    }),
            ],
            "all_dropped_updates": ["count": .integer(Int64(allDroppedTotal)), "by_status": counts(allDroppedUpdates)],
            "placeholder_9999_rows": .integer(Int64(placeholderRows)),
            "hyphenated_ssn_rows": .integer(Int64(hyphenatedSSNRows)),
            "check_digit_warnings": [
                "count": .integer(Int64(checkDigitWarnings.count)),
                "row_ids": .array(checkDigitWarnings.prefix(200).map { .integer($0) }),
                "placeholder_9999_rows_not_checked": .integer(Int64(placeholderRows)),
            ],
            "invalid_rows": [
                "count": .integer(Int64(invalidRowCount)),
                "rows": .array(
                    invalidRows.map {
                        [
                            "row_id": $0.rowID.map { .integer($0) } ?? .null, "column": .string($0.column),
                            "problem": .string($0.problem),
                        ]
                    }),
            ],
            "extra_columns": .array(extraColumns.map { .string($0) }),
        ]
    }
}
