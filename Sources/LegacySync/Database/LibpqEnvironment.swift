/// When `--source` may be left out: as with `psql`, libpq's own environment names the database.
///
/// Any of `PGSERVICE`, `PGHOST`, `PGHOSTADDR` or `PGDATABASE` set (and not empty) counts as naming one;
/// the source is then `postgresql://`, an empty URI that libpq completes from those variables, the
/// service file (`PGSERVICEFILE`, `~/.pg_service.conf`) and the password file. `PGPORT` or `PGUSER`
/// alone do not count: they refine a database named elsewhere and are often set for other tools.
public enum LibpqEnvironment {
    public static let namingVariables = ["PGSERVICE", "PGHOST", "PGHOSTADDR", "PGDATABASE"]
    /// The source text that leaves everything to libpq.
    public static let source = "postgresql://"

    /// `postgresql://` when the environment names a database, else nil.
    public static func source(in environment: [String: String]) -> String? {
        namingVariables.contains { !(environment[$0] ?? "").isEmpty } ? source : nil
    }
}
