/// A command that, given `streamingOption`, prints one `--json` envelope per pass until it is stopped
/// (`shadow run --follow`). Such a stream is NDJSON — a reader takes one line as one document — so every
/// envelope of the run is one line, the error that ends it included.
protocol EnvelopeStreaming {
    /// The option that makes the command stream, spelled as on the command line: "--follow".
    static var streamingOption: String { get }
}
