/// A run of inline text in a report: plain words, code (field paths, identifiers), emphasis, and
/// alerts. Reports build it from interpolation — `"rules: \(code: origin)"` — so neither renderer has
/// to guess which words are code; each renderer escapes what its format needs.
public struct ReportText: Sendable, Equatable, ExpressibleByStringInterpolation {
    public enum Span: Sendable, Equatable {
        case plain(String)
        /// A name to copy: a field path, an identifier, a command.
        case code(String)
        case strong(String)
        /// A finding the reader must not miss (a hazard found, a gap, unmasked data).
        case alert(String)
    }

    public var spans: [Span]

    public init(_ spans: [Span]) { self.spans = spans }

    public init(stringLiteral value: String) { spans = value.isEmpty ? [] : [.plain(value)] }

    public init(stringInterpolation: Interpolation) { spans = stringInterpolation.spans }

    public var isEmpty: Bool { spans.isEmpty }

    /// The words alone, for places without formatting (an HTML page's title).
    public var plainText: String {
        spans.map { span in
            switch span {
            case .plain(let text), .code(let text), .strong(let text), .alert(let text): text
            }
        }.joined()
    }

    public static func + (left: ReportText, right: ReportText) -> ReportText { ReportText(left.spans + right.spans) }

    public static func code(_ text: String) -> ReportText { ReportText([.code(text)]) }

    public static func strong(_ text: String) -> ReportText { ReportText([.strong(text)]) }

    public static func alert(_ text: String) -> ReportText { ReportText([.alert(text)]) }

    /// Pieces joined by plain separator text: `a`, `b`, `c`.
    public static func joined(_ pieces: [ReportText], separator: String) -> ReportText {
        var spans: [Span] = []
        for (index, piece) in pieces.enumerated() {
            if index > 0 && !separator.isEmpty { spans.append(.plain(separator)) }
            spans += piece.spans
        }
        return ReportText(spans)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var spans: [Span] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { spans.append(.plain(literal)) } }

        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            appendLiteral(value.description)
        }

        public mutating func appendInterpolation(_ text: ReportText) { spans += text.spans }

        public mutating func appendInterpolation(code: String) { spans.append(.code(code)) }

        public mutating func appendInterpolation(strong: String) { spans.append(.strong(strong)) }

        public mutating func appendInterpolation(alert: String) { spans.append(.alert(alert)) }
    }
}
