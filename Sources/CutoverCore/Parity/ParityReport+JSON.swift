import CutoverSupport
import DocumentParity

extension ParityReport {
    static let membersPlaceholder = "@@cutover-members@@"

    /// Writes the report as JSON text, a piece at a time (the members' lineage streams from its file):
    /// sorted keys and rows, nothing from the wall clock — the same snapshot and rules give the same bytes.
    public func writeJSON(_ write: (String) throws -> Void) throws {
        try summaryJSON.writePrettyText(replacing: Self.membersPlaceholder, withArray: members.forEach, to: write)
    }

    /// One differing member's entry in `members`.
    static func json(_ line: MemberLine) -> JSONValue {
        func events(_ list: [ReplayEvent]) -> JSONValue {
            .array(
                list.map { event in
                    var entry: [String: JSONValue] = [
                        "row": .integer(event.rowID), "action": .string(event.action.rawValue),
                        "outcome": .string(event.outcome.rawValue), "detail": .string(event.detail),
                    ]
                    if let cause = event.cause { entry["cause"] = .string(cause.rawValue) }
                    return .object(entry)
                })
        }
        return [
            "member": .string(line.member), "verdict": .string(line.verdict.rawValue), "fails": .bool(line.fails),
            "rows": .array(line.rowIDs.map(JSONValue.integer)),
            "differing_paths": .array(line.differingPaths.map(JSONValue.string)),
            "unaccepted_paths": .array(line.unacceptedPaths.map(JSONValue.string)),
            "causes": .array(line.causes.map { .string($0.rawValue) }),
            "accepted_by": .array(line.acceptedBy.map(JSONValue.string)),
            "explanation": .string(line.explanation),
            "path_a": events(line.pathA), "path_b": events(line.pathB),
        ]
    }

    /// Everything but the members' lineage, which stands in as a placeholder.
    var summaryJSON: JSONValue {
        func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
        func counted<K>(_ values: [K: Int], _ name: (K) -> String) -> JSONValue {
            .object(Dictionary(values.map { (name($0.key), int($0.value)) }, uniquingKeysWith: { first, _ in first }))
        }
        func rule(_ acceptance: ParityRules.Acceptance?) -> JSONValue {
            guard let acceptance else { return .null }
            return ["rule": .string(acceptance.label), "reason": .string(acceptance.reason)]
        }
        let compared: JSONValue = [
            "members_compared": int(counts.membersCompared),
            "identical": int(counts[.identical]), "equivalent": int(counts[.equivalent]),
            "accepted": int(counts[.accepted]), "different": int(counts[.different]),
            "only_in_a": int(counts[.onlyInA]), "only_in_b": int(counts[.onlyInB]),
            "register_members": int(counts.registerMembers), "baseline_documents": int(counts.baselineDocuments),
            "members_replayed": int(counts.membersReplayed), "rows_replayed": int(counts.rowsReplayed),
        ]
        return [
            "format": "cutover-parity-report", "format_version": 1,
            "verdict": .string(verdict.rawValue),
            "missing": .array(missing.map(JSONValue.string)),
            "exit_code": .integer(Int64(verdict.exitCode)),
            "snapshot": [
                "snapshot_id": .string(setting.snapshotID), "source_read_at": .string(setting.snapshotSourceReadAt),
                "queue_table": .string(setting.queueTable),
                "source_identity": setting.sourceIdentity?.json ?? .null,
            ],
            "replay": [
                "rules": .string(setting.rulesOrigin),
                "path_a_since": .string(setting.pathASince.iso8601),
                "path_a_run_at": .string(setting.pathARunAt.iso8601),
                "noise_run_at": .string(setting.noiseRunAt.iso8601), "masked": .bool(setting.masked),
                "member_tag_key": .string(setting.memberTagOrigin),
                "scope": setting.scope.map(JSONValue.string) ?? .null,
                "change_stream":
                    """
                queue rows not yet synced (pending, failed), oldest first per member; Path B gets the webhook \
                Django would have sent for each, built from the register
                """,
            ],
            "counts": compared,
            "events": counted(eventCounts) { $0 },
            "noise": [
                "members_compared": int(noise.membersCompared), "members_differing": int(noise.membersDiffering),
                "fields": counted(noise.fields) { $0 },
                "not_ignored_by_rules": .array(noise.notIgnored.map(JSONValue.string)),
            ],
            "fields": .array(
                fields.map { row in
                    [
                        "path": .string(row.path), "path_b": row.pathBName.map(JSONValue.string) ?? .null,
                        "differences": int(row.differences), "accepted": int(row.accepted),
                        "kinds": counted(row.kinds) { $0.rawValue }, "type_changes": counted(row.typeChanges) { $0 },
                        "causes": counted(row.causes) { $0.rawValue }, "accepted_by": rule(row.acceptedBy),
                        "hazard": row.hazard.map { .string($0.rawValue) } ?? .null,
                        "examples": .array(
                            row.examples.map {
                                ["member": .string($0.member), "a": .string($0.a), "b": .string($0.b)]
                            }),
                    ]
                }),
            "consumer_impact": [
                "written_by_a_only": .array(
                    writtenOnlyByA.map { field in
                        [
                            "path": .string(field.path), "documents_written_by_a": int(field.documentsWritten),
                            "path_b_results_still_carrying_it": int(field.carriedByOther),
                        ]
                    }),
                "written_by_b_only": .array(
                    writtenOnlyByB.map { field in
                        [
                            "path": .string(field.path), "documents_written_by_b": int(field.documentsWritten),
                            "path_a_results_carrying_it": int(field.carriedByOther),
                        ]
                    }),
                "value_kind_changes": .array(
                    typeChangedFields.map { field in
                        [
                            "path": .string(field.path), "path_a": .array(field.a.map(JSONValue.string)),
                            "path_b": .array(field.b.map(JSONValue.string)),
                        ]
                    }),
            ],
            "hazards": .array(
                hazards.map { finding in
                    [
                        "id": .string(finding.id), "concern": .string(finding.concern),
                        "observed": .bool(finding.observed), "evidence": .string(finding.evidence),
                    ]
                }),
            "decisions": .array(decisions.map(Self.json)),
            "identifier_collisions": int(identifierCollisions),
            "members": .string(Self.membersPlaceholder),
            "invalid_rows": .array(
                problems.map { problem in
                    [
                        "row": problem.rowID.map(JSONValue.integer) ?? .null, "column": .string(problem.column),
                        "problem": .string(problem.problem),
                    ]
                }),
        ]
    }
}
