/// The register's tables (LEGACY.md §3) with the columns the sync code reads from each. Only these
/// columns are ever named in a query, so extra columns (a PostGIS `geometry`, a soft-delete
/// `deleted_at`, anything of a type the tool does not know) never reach the reader.
public enum RegisterTables {
    /// The one register table every command needs: without members there is nothing to serialise.
    public static let comrade = "membership_comrade"
    public static let comradeColumns = [
        "id", "ssn", "name", "birthday", "gender", "housing_situation", "reachable", "groupable", "date_joined",
    ]

    /// Every register table, in load order (parents before children); dropped in reverse. `map_country`
    /// is created by the demo but never read: Path B sends a foreign address's `country_id` as it is.
    public static let names = [
        "map_country", "map_municipality", "map_postalcode", "map_municipalitypostalcode", "map_street", "map_address",
        "membership_comrade", "membership_contactinfo", "membership_simpleaddress", "membership_newcomradeaddress",
        "membership_newlocaladdress", "membership_newforeignaddress", "membership_union", "membership_unionmembership",
        "membership_title", "membership_comradetitle",
    ]

    /// The tables the reader looks at: the member table and those of every optional part.
    public static var read: [String] {
        var tables = [comrade]
        for part in RegisterPart.allCases {
            for need in part.needs where !tables.contains(need.table) { tables.append(need.table) }
        }
        return tables
    }
}
