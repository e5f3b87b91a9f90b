/// Options the configuration file can supply. After parsing, each takes the file's value for every option
/// the command line left unset — so the command line wins, then the file, then the option's default — and
/// then checks what must be given by one or the other (`validate()` runs before the file is read).
protocol ConfigurationFillable {
    mutating func fill(from configuration: ConfigurationFile) throws
}
