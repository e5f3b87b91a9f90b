/// A report as people read it — a title with a verdict badge, a few opening blocks, sections of
/// paragraphs, facts, tables, lists and a chart, and a footer — before it becomes Markdown or HTML.
/// Every report (parity, verify, drain, shadow) describes itself as one, so `MarkdownRenderer` and
/// `HTMLRenderer` are the only places that know either format, and one stylesheet serves every page.
/// The JSON files are not built from it: they stay each report's own stable, streamed format.
public struct ReportDocument: Sendable, Equatable {
    public struct Badge: Sendable, Equatable {
        public enum Tone: String, Sendable {
            case pass
            /// Passes with a caveat (accepted differences).
            case accepted
            case fail
            /// No verdict to give (a dry run).
            case neutral
        }

        public var text: String
        public var tone: Tone

        public init(_ text: String, _ tone: Tone) {
            self.text = text
            self.tone = tone
        }
    }

    public struct Fact: Sendable, Equatable {
        public var name: String
        public var value: ReportText

        public init(_ name: String, _ value: ReportText) {
            self.name = name
            self.value = value
        }
    }

    /// One bullet, with optional lines beneath it (a member's Path A and Path B events).
    public struct ListItem: Sendable, Equatable {
        public var text: ReportText
        public var details: [ReportText]

        public init(_ text: ReportText, details: [ReportText] = []) {
            self.text = text
            self.details = details
        }
    }

    public enum Block: Sendable, Equatable {
        case paragraph(ReportText)
        /// Named values, such as what a run read and how.
        case facts([Fact])
        case table(ReportTable)
        case list([ListItem])
        case chart(ReportBarChart)
        /// Lines shown verbatim, to copy (rules-file entries); `language` names them for Markdown's fence.
        case code(language: String, lines: [String])
    }

    public struct Section: Sendable, Equatable {
        public var heading: String
        public var blocks: [Block]

        public init(_ heading: String, _ blocks: [Block]) {
            self.heading = heading
            self.blocks = blocks
        }
    }

    public var title: String
    public var badge: Badge?
    /// Blocks under the title, before the first section.
    public var opening: [Block]
    public var sections: [Section]
    /// The closing line: the exit code and what each code means.
    public var footer: ReportText?

    public init(
        title: String, badge: Badge? = nil, opening: [Block] = [], sections: [Section] = [],
        footer: ReportText? = nil
    ) {
        self.title = title
        self.badge = badge
        self.opening = opening
        self.sections = sections
        self.footer = footer
    }

    /// Whether any table is sortable: the HTML page then carries the script that sorts it.
    var hasSortableTable: Bool {
        (opening + sections.flatMap(\.blocks)).contains { block in
            if case .table(let table) = block { table.sortable } else { false }
        }
    }

    /// "Verify — PASS": the heading's words, for a page title.
    public var headline: String { badge.map { "\(title) — \($0.text)" } ?? title }
}
