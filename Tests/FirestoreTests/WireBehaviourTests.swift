import CutoverCore
import CutoverSupport
import Foundation
import LocalServers
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Raw REST answers where the local server once differed from Google's emulator (README, "The local
/// server and Google's emulator"): the same requests and expectations run against both
/// (`EmulatorBehaviourTests.wireAnswersMatch` runs them against the emulator).
struct WireBehaviourTests {
    struct Answer {
        let status: Int
        let text: String
        var json: JSONValue { (try? JSONValue(parsing: text)) ?? .null }
    }

    /// `…/v1/projects/P/databases/(default)/documents` on the local server or the emulator, P fresh.
    func withDocumentsURL(_ kind: StoreKind, _ body: (String) async throws -> Void) async throws {
        if kind == .emulator {
            await TestEmulator.warmedUp()
            let project = TestEmulator.freshProject()
            do { try await body("\(TestEmulator.url)/v1/projects/\(project)/databases/(default)/documents") } catch {
                await TestEmulator.reset(project: project)
                throw error
            }
            await TestEmulator.reset(project: project)
            return
        }
        let server = try await LocalServer.start(store: try temporaryStore())
        do { try await body("\(server.url)/v1/projects/cutover-prod-1234/databases/(default)/documents") } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func call(_ method: String, _ url: String, _ body: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: url.replacingOccurrences(of: "(default)", with: "%28default%29"))!)
        request.httpMethod = method
        request.setValue("Bearer owner", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.utf8)
            // The emulator answers a POST without it with a bare 404.
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as! HTTPURLResponse).statusCode, text: String(decoding: data, as: UTF8.self))
    }

    @Test(arguments: [StoreKind.rest])
    func wireAnswersMatch(_ kind: StoreKind) async throws {
        try await withDocumentsURL(kind) { base in
            let name = base.replacingOccurrences(of: #"^http://[^/]+/v1/"#, with: "", options: .regularExpression)
            func update(_ path: String, _ fields: String) -> String {
                #"{"update":{"name":"\#(name)/\#(path)","fields":\#(fields)}}"#
            }
            var answer = try await call(
                "POST", "\(base):commit",
                #"{"writes":[\#(update("c/a", #"{"n":{"integerValue":"1"},"s":{"stringValue":"x"}}"#)),"#
                    + #"\#(update("c/b", #"{"n":{"integerValue":"3"}}"#)),\#(update("c/c", "{}"))]}"#
            )
            #expect(answer.status == 200, "\(answer.text)")

            // A full page carries a token even when nothing follows; the page it leads to is empty.
            answer = try await call("GET", "\(base)/c?pageSize=3")
            let token = try #require(answer.json["nextPageToken"]?.stringValue, "\(answer.text)")
            answer = try await call("GET", "\(base)/c?pageSize=3&pageToken=\(token)")
            #expect(answer.status == 200 && answer.json == .object([:]), "\(answer.text)")

            // list's orderBy orders (and, like a query, leaves out documents without the field).
            answer = try await call("GET", "\(base)/c?orderBy=n%20desc")
            guard case .array(let ordered)? = answer.json["documents"] else { Issue.record("\(answer.text)"); return }
            #expect(
                ordered.compactMap { $0["name"]?.stringValue?.split(separator: "/").last.map(String.init) } == [
                    "b", "a",
                ])

            // batchGet's mask.
            answer = try await call(
                "POST", "\(base):batchGet", #"{"documents":["\#(name)/c/a"],"mask":{"fieldPaths":["s"]}}"#)
            #expect(answer.json.items?.first?["found"]?["fields"] == ["s": ["stringValue": "x"]], "\(answer.text)")

            // runQuery: skippedResults on the first document, done on the last element.
            answer = try await call(
                "POST", "\(base):runQuery", #"{"structuredQuery":{"from":[{"collectionId":"c"}],"offset":1}}"#)
            let stream = answer.json.items ?? []
            #expect(
                stream.count == 2 && stream.first?["skippedResults"] == 1 && stream.last?["done"] == true,
                "\(answer.text)")
            #expect(stream.first?["document"]?["name"] == .string("\(name)/c/b"))
            answer = try await call(
                "POST", "\(base):runQuery", #"{"structuredQuery":{"from":[{"collectionId":"none"}],"offset":1}}"#)
            #expect(
                answer.json.items?.count == 1 && answer.json.items?.first?["done"] == true
                    && answer.json.items?.first?["skippedResults"] == nil, "\(answer.text)")

            // A commit without writes commits nothing and says nothing.
            answer = try await call("POST", "\(base):commit", #"{"writes":[]}"#)
            #expect(answer.status == 200 && answer.json == .object([:]), "\(answer.text)")

            // A bad value in a request is the client's fault: 400, not 500.
            answer = try await call(
                "POST", "\(base):commit",
                #"{"writes":[\#(update("c/d", #"{"n":{"integerValue":"9223372036854775808"}}"#))]}"#)
            #expect(answer.status == 400 && answer.json["error"]?["status"] == "INVALID_ARGUMENT", "\(answer.text)")

            // createDocument, with a chosen id (409 the second time) and without.
            answer = try await call("POST", "\(base)/k?documentId=first", #"{"fields":{"v":{"integerValue":"1"}}}"#)
            #expect(answer.status == 200 && answer.json["name"] == .string("\(name)/k/first"), "\(answer.text)")
            answer = try await call("POST", "\(base)/k?documentId=first", #"{"fields":{}}"#)
            #expect(answer.status == 409, "\(answer.text)")
            answer = try await call("POST", "\(base)/k", #"{"fields":{}}"#)
            #expect(
                answer.status == 200 && answer.json["name"]?.stringValue?.count == "\(name)/k/".count + 20,
                "\(answer.text)")

            // Outside any database's documents: a bare 404.
            let root = base.components(separatedBy: "/v1/")[0]
            answer = try await call("GET", "\(root)/v1/nothing-here")
            #expect(answer.status == 404 && answer.text == "Not Found\n")
        }
    }
}

extension JSONValue {
    /// The elements of an array (streamed answers), nil for anything else.
    fileprivate var items: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
