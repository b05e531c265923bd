import Foundation
import Testing

/// Sealing refuses a Secret whose name the API server would refuse, in the API server's words:
/// checked against what `kubectl create` gets from the test API server for the same Secret.
extension SerialSuites {
@Suite("Object name rules", .serialized)
struct NameRulesEndToEndTests {
    static func secret(named name: String) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: '\(name)'\n  namespace: default\nstringData:\n  password: p\n"
    }

    @Test("sealkit's error for a bad name is the API server's") func sameWordsAsTheAPIServer() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        let names = ["Bad_Name", "-leading-dash", "trailing.", "a..b", String(repeating: "a", count: 254),
                     String(repeating: "A", count: 254)]
        for name in names {
            let manifest = Self.secret(named: name)
            let sealed = try await cluster.sealkit(["--cert", "cert.pem"], stdin: manifest)
            #expect(sealed.status != 0, "\(name.prefix(20))")
            #expect(sealed.stdout.isEmpty)
            let created = try await cluster.kubectl(["create", "-f", "-"], stdin: manifest)
            #expect(created.status != 0, "\(name.prefix(20))")
            let serverSays = created.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(serverSays.hasPrefix("The Secret \""), "\(serverSays)")
            let words = String(serverSays.dropFirst("The ".count))
            // kubectl lists several causes as "is invalid: \n* cause\n* cause"; the server (and
            // sealkit, on one line) as "is invalid: [cause, cause]".
            let lines = words.components(separatedBy: "\n* ")
            if lines.count == 1 {
                #expect(sealed.stderr.hasSuffix(words + "\n"), "sealkit: \(sealed.stderr)\nserver: \(words)")
            } else {
                let causes = lines.dropFirst().joined(separator: ", ")
                #expect(sealed.stderr.hasSuffix(lines[0].trimmingCharacters(in: .whitespaces) + " [" + causes + "]\n"), "sealkit: \(sealed.stderr)\nserver: \(words)")
            }
            #expect(sealed.stderr.split(separator: "\n").count == 1)
        }
        // A valid name at the limit seals.
        let longest = try await cluster.sealkit(["--cert", "cert.pem"], stdin: Self.secret(named: String(repeating: "a", count: 253)))
        #expect(longest.status == 0, "\(longest.stderr)")
    }
}
}
