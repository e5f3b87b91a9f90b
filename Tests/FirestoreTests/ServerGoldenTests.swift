import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LocalServers
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The local server's raw answers, byte for byte, against the shapes of FIRESTORE.md.
@Suite struct ServerGoldenTests {
    static let fixed = Timestamp(parsing: "2024-05-01T12:00:00.123456Z")!

    func withGoldenServer(_ body: (String) async throws -> Void) async throws {
        let path = NSTemporaryDirectory() + "golden-\(UUID().uuidString).sqlite"
        let store = try EmbeddedDocumentStore(path: path, database: DatabaseName(project: "p"), clock: { Self.fixed })
        var options = FirestoreHTTPServer.Options()
        options.clock = { Timestamp(parsing: "2024-05-01T12:00:03.5Z")! }
        let server = try await LocalServer.start(store: store, options: options)
        do { try await body("\(server.url)/v1/projects/p/databases/(default)/documents") } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func call(_ method: String, _ url: String, _ body: String? = nil) async throws -> (Int, String, String?) {
        var request = URLRequest(url: URL(string: url.replacingOccurrences(of: "(default)", with: "%28default%29"))!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"))
    }

    @Test func documentsErrorsAndStreamsHaveFirestoresShapes() async throws {
        try await withGoldenServer { base in
            var (status, body, type) = try await call(
                "POST", "\(base):commit",
                #"{"writes":[{"update":{"name":"projects/p/databases/(default)/documents/users/alice","#
                    + #""fields":{"age":{"integerValue":"42"}}},"updateTransforms":[{"fieldPath":"ts","#
                    + #""setToServerValue":"REQUEST_TIME"}]}]}"#
            )
            #expect(status == 200)
            #expect(type == "application/json; charset=UTF-8")
            #expect(
                body == """
                    {
                      "commitTime": "2024-05-01T12:00:00.123456Z",
                      "writeResults": [
                        {
                          "transformResults": [
                            {
                              "timestampValue": "2024-05-01T12:00:00.123Z"
                            }
                          ],
                          "updateTime": "2024-05-01T12:00:00.123456Z"
                        }
                      ]
                    }

                    """)

            (status, body, _) = try await call("GET", "\(base)/users/alice")
            #expect(status == 200)
            #expect(
                body == """
                    {
                      "createTime": "2024-05-01T12:00:00.123456Z",
                      "fields": {
                        "age": {
                          "integerValue": "42"
                        },
                        "ts": {
                          "timestampValue": "2024-05-01T12:00:00.123Z"
                        }
                      },
                      "name": "projects/p/databases/(default)/documents/users/alice",
                      "updateTime": "2024-05-01T12:00:00.123456Z"
                    }

                    """)

            (status, body, _) = try await call("GET", "\(base)/c/d")
            #expect(status == 404)
            #expect(
                body == """
                    {
                      "error": {
                        "code": 404,
                        "message": "Document \\"projects/p/databases/(default)/documents/c/d\\" not found.",
                        "status": "NOT_FOUND"
                      }
                    }

                    """)

            (status, body, _) = try await call(
                "POST", "\(base):commit",
                #"{"writes":[{"update":{"name":"projects/p/databases/(default)/documents/c/d"},"#
                    + #""currentDocument":{"exists":true}}]}"#
            )
            #expect(status == 404)
            #expect(body.contains(#""message": "No document to update: projects/p/databases/(default)/documents/c/d""#))

            (status, body, _) = try await call(
                "POST", "\(base):commit",
                #"{"writes":[{"update":{"name":"projects/p/databases/(default)/documents/users/alice"},"#
                    + #""currentDocument":{"exists":false}}]}"#
            )
            #expect(status == 409)
            #expect(
                body.contains(
                    #""message": "Document already exists: projects/p/databases/(default)/documents/users/alice""#))
            #expect(body.contains(#""status": "ALREADY_EXISTS""#))

            (status, body, _) = try await call(
                "POST", "\(base):runQuery",
                #"{"structuredQuery":{"from":[{"collectionId":"users"}],"#
                    + #""where":{"fieldFilter":{"field":{"fieldPath":"age"},"op":"GREATER_THAN","#
                    + #""value":{"integerValue":"50"}}}}}"#
            )
            #expect(body == "[\n  {\n    \"done\": true,\n    \"readTime\": \"2024-05-01T12:00:03.500Z\"\n  }\n]\n")

            (status, body, _) = try await call(
                "POST", "\(base):batchGet",
                #"{"documents":["projects/p/databases/(default)/documents/users/alice","#
                    + #""projects/p/databases/(default)/documents/c/nope"]}"#
            )
            let messages = try JSONValue(parsing: body)
            #expect(
                messages
                    == .array([
                        [
                            "found": try JSONValue(parsing: try await call("GET", "\(base)/users/alice").1),
                            "readTime": "2024-05-01T12:00:03.500Z",
                        ],
                        [
                            "missing": "projects/p/databases/(default)/documents/c/nope",
                            "readTime": "2024-05-01T12:00:03.500Z",
                        ],
                    ]))

            (status, body, _) = try await call("GET", "\(base)/empty")
            #expect(status == 200)
            #expect(body == "{}\n")

            (status, body, _) = try await call("POST", "\(base):commit", "{not json")
            #expect(status == 400)
            #expect(body.contains(#""status": "INVALID_ARGUMENT""#))

            (status, _, _) = try await call("DELETE", "\(base)/users/alice?currentDocument.exists=true")
            #expect(status == 200)
            (status, _, _) = try await call("DELETE", "\(base)/users/alice?currentDocument.exists=true")
            #expect(status == 404)
        }
    }
}
