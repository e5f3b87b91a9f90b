/// `status --json`: totals and the orphan deletes.
struct StatusJSON: Decodable {
    struct OrphanDeletes: Decodable {
        var count: Int
    }

    var totalRows: Int
    var orphanDeletes: OrphanDeletes
}
