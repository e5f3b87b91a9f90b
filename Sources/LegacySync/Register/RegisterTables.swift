/// The register's tables that the sync code reads (LEGACY.md §3), in load order (parents before
/// children); dropped in reverse.
public enum RegisterTables {
    public static let names = [
        "membership_municipality", "membership_postalcode", "membership_address", "membership_comrade",
        "membership_contactinfo", "membership_simpleaddress", "membership_newlocaladdress",
        "membership_newforeignaddress", "membership_union", "membership_comrade_unions", "membership_title",
        "membership_comrade_titles",
    ]
}
