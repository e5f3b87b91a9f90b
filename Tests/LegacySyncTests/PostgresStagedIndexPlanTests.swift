import Testing

@testable import LegacySync

/// What a staged restore builds while the second connection reads the table back, and what waits for it.
struct PostgresStagedIndexPlanTests {
    typealias Constraint = QueueTableDescription.Constraint

    @Test func plainKeysAreBuiltAsUniqueIndexesOthersWaitForTheReader() {
        let table = QueueTableDescription(
            engine: .postgresql, name: QueueTableName(schema: "cutover_restore_0a1b2c3d", table: "q"),
            columns: [.init(name: "id", type: "integer", isNullable: false, defaultExpression: nil, identity: "d")],
            constraints: [
                Constraint(name: "q_pkey", kind: "p", definition: "PRIMARY KEY (id)"),
                Constraint(name: "q_ab_key", kind: "u", definition: "UNIQUE (a, b)"),
                Constraint(name: "q_c_key", kind: "u", definition: "UNIQUE NULLS NOT DISTINCT (c)"),
                Constraint(name: "q_d_key", kind: "u", definition: "UNIQUE (d) INCLUDE (e)"),
                Constraint(name: "q_e_check", kind: "c", definition: "CHECK ((e >= 0))"),
                Constraint(name: "q_m_fk", kind: "f", definition: "FOREIGN KEY (m) REFERENCES m(id)"),
            ],
            indexes: [
                .init(name: "q_x", definition: "CREATE INDEX q_x ON \"cutover_restore_0a1b2c3d\".\"q\" USING btree (x)")
            ],
            sequence: .init(name: "q_id_seq", kind: "identity", lastValue: 7, isCalled: true), definitionScript: "")
        let plan = PostgresStagedIndexPlan(table)
        let q = "\"cutover_restore_0a1b2c3d\".\"q\""
        #expect(
            plan.builds == [
                "CREATE UNIQUE INDEX \"q_ab_key\" ON \(q) USING btree (a, b)",
                "CREATE INDEX q_x ON \(q) USING btree (x)",
                "CREATE UNIQUE INDEX \"q_pkey\" ON \(q) USING btree (id)",
            ])
        #expect(
            plan.afterReadingBack == """
                ALTER TABLE \(q) ADD CONSTRAINT "q_pkey" PRIMARY KEY USING INDEX "q_pkey";
                ALTER TABLE \(q) ADD CONSTRAINT "q_ab_key" UNIQUE USING INDEX "q_ab_key";
                ALTER TABLE \(q) ADD CONSTRAINT "q_c_key" UNIQUE NULLS NOT DISTINCT (c);
                ALTER TABLE \(q) ADD CONSTRAINT "q_d_key" UNIQUE (d) INCLUDE (e);
                ALTER TABLE \(q) ADD CONSTRAINT "q_e_check" CHECK ((e >= 0));
                SELECT setval(pg_get_serial_sequence('\(q)', 'id'), 7, true);
                """)
    }

    /// Builders take the builds costliest first: wide keys before narrow ones, a text key compared under its
    /// collation before one under a pattern class, before an integer or a timestamp; equal ranks keep the
    /// captured order.
    @Test func buildsAreOrderedByTheirKeysEstimatedCost() {
        let columns: [QueueTableDescription.Column] = [
            .init(name: "id", type: "integer", isNullable: false, defaultExpression: nil, identity: nil),
            .init(name: "ssn", type: "character varying(10)", isNullable: false, defaultExpression: nil, identity: nil),
            .init(
                name: "created_at", type: "timestamp with time zone", isNullable: false, defaultExpression: nil,
                identity: nil),
        ]
        let q = "public.q"
        let indexes = [
            ("q_created", "(created_at)"), ("q_ssn_like", "(ssn varchar_pattern_ops)"),
            ("q_ssn_created", "(ssn, created_at DESC NULLS LAST)"), ("q_lower", "(lower((ssn)::text))"),
            ("q_ssn", "(\"ssn\")"),
        ].map {
            QueueTableDescription.Index(name: $0.0, definition: "CREATE INDEX \($0.0) ON \(q) USING btree \($0.1)")
        }
        let table = QueueTableDescription(
            engine: .postgresql, name: QueueTableName(schema: "public", table: "q"), columns: columns,
            constraints: [Constraint(name: "q_pkey", kind: "p", definition: "PRIMARY KEY (id)")], indexes: indexes,
            sequence: nil, definitionScript: "")
        let names = PostgresStagedIndexPlan(table).builds.map {
            $0.split(separator: " ")[$0.contains("UNIQUE") ? 3 : 2]
        }
        #expect(names == ["q_ssn_created", "q_lower", "q_ssn", "q_ssn_like", "\"q_pkey\"", "q_created"])
    }
}
