import ArgumentParser
import CutoverCore
import CutoverSupport
import Foundation

/// The root command; `CutoverMain.run()` (the `cutover` executable) starts it.
struct CutoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutover",
        abstract: "Retire the legacy queue-based member sync safely: snapshot, status, drain, parity, archive, retire.",
        discussion: """
            Try the whole cutover on demo data first — seed, status, snapshot, parity, drain, verify, archive, \
            restore rehearsal, retire, rollback, verify — ending in a go/no-go:

              cutover rehearse

            The real one, step by step (Runbooks/cutover.md says what to do when a gate fails):

              cutover status --source URL --firestore STORE
              cutover snapshot --source URL --firestore STORE
              cutover parity replay --snapshot FILE
              cutover drain --source URL --target STORE
              cutover verify --source URL --target STORE
              cutover archive create --snapshot FILE --out A.tar.gz
              cutover restore --archive A.tar.gz --into URL --schema S
              cutover retire --source URL --archive A.tar.gz --confirm
            and beside them the live dual-run: cutover shadow serve | run | compare.

            Databases are named the same way everywhere: sqlite:PATH, postgresql://USER@HOST:PORT/DB, or a \
            libpq conninfo string ('host=… dbname=…'). `postgresql://` alone uses the PG* environment \
            variables, ~/.pgpass and the service file, as psql does.

            Personal data (kennitala, names, e-mail, phone) is masked in all output unless --unmask is given.

            A YAML configuration file names the cutover's systems and shared options once — source, target, table, \
            rules, ledger, project, credentials, token-command, max-step-age-hours, log-level, unmask, quiet, json — \
            so commands need no long flag lists. It is --config FILE, else CUTOVER_CONFIG, else ./cutover.yaml, else \
            $XDG_CONFIG_HOME/cutover/config.yaml (~/.config/cutover/config.yaml); a file found is named on standard \
            error. The command line wins over the file, the file over the environment (PG*, GOOGLE_CLOUD_PROJECT, …):
              source: postgresql://app@db/register
              target: firestore:my-project
              ledger: cutover-out/ledger.sqlite

            Manual page: man cutover (docs/man/cutover.1). Shell completion: \
            cutover --generate-completion-script bash|zsh|fish.

            Exit codes:
            \(CutoverSupport.ExitCode.table)
            """,
        version: CutoverVersion.string,
        subcommands: [
            Status.self, Snapshot.self, Parity.self, Drain.self, Verify.self, Retire.self, Rehearse.self, Shadow.self,
            Archive.self, Restore.self, Demo.self, Firestore.self,
        ]
    )

    /// Declared here too so that `cutover --config FILE drain …` reaches the subcommand (ArgumentParser
    /// hands a parent's decoded group to a subcommand declaring the same one).
    @OptionGroup var configurationFile: ConfigurationOptions

    /// Parses, fills a configured command from the configuration file (a flag on the command line wins), runs.
    static func main() async {
        // First, before any other thread allocates and so gets an arena of its own (`MallocArenas`).
        if MallocArenas.wanted(for: Array(CommandLine.arguments.dropFirst())) { MallocArenas.shareOne() }
        // Snapshots, journals, ledgers, delivery records (and their -wal/-shm), staging and temporary
        // files hold unmasked personal data: whatever the caller's umask, everything this process
        // creates is its owner's alone (files 0600, directories 0700) from its first byte.
        umask(0o077)
        // SIGINT/SIGTERM remove those staging and temporary files before the process ends.
        InterruptCleanup.install()
        LogSetup.bootstrap()
        await runEscapingMessages(Array(CommandLine.arguments.dropFirst()))
    }

    /// ArgumentParser's own `main`, except that a configured command is filled from the configuration
    /// file after parsing, and its messages (a usage error quotes the bad value, a validation error the
    /// file name) go out through `Terminal`, which escapes control characters.
    private static func runEscapingMessages(_ arguments: [String]) async {
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var configured = command as? any ConfiguredCommand {
                try configured.fillFromConfigurationFile()
                command = configured
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // A command's own errors were printed where they happened (an `ExitCode` carries no message);
            // a usage error is still owed its envelope. Help and --version stay text.
            let invocation = JSONInvocation.current
            if JSONInvocation.enabled, code != .success, !(error is ArgumentParser.ExitCode) {
                JSONEnvelope.printError(
                    exitCode: code.rawValue, message: message(for: error),
                    next: "see 'cutover \(invocation.commandName) --help'")
                Foundation.exit(code.rawValue)
            }
            let text = fullMessage(for: error)
            if !text.isEmpty {
                if code == .success { Terminal.out(text + "\n") } else { Terminal.error(text + "\n") }
            }
            Foundation.exit(code.rawValue)
        }
    }
}
