import Foundation
import Testing
@testable import SealKit

/// `sealkit reseal` over a realistic repository: 200 SealedSecrets in 60 files (multi-document
/// YAML with comments, single YAML, JSON, concatenated JSON; all three scopes; a kustomize
/// layout), re-sealed offline from key A to key B.
@Suite("Repository re-sealing", .serialized)
struct ResealTests {
    static let keyA = try! PrivateKey(pem: Array(try! Data(contentsOf: Binaries.vectors.appendingPathComponent("key.pem"))))
    static let keyB = try! PrivateKey(pem: Array(try! Data(contentsOf: Binaries.vectors.appendingPathComponent("other_key.pem"))))

    /// Writes the repository; returns its files and contents.
    static func makeRepository(in root: URL) throws -> [String: [UInt8]] {
        let sealer = Sealer(publicKey: keyA.publicKey)
        var files: [String: String] = [:]
        var serial = 0
        func sealed(_ namespace: String) throws -> SealedSecret {
            serial += 1
            let scope = SealingScope.allCases[serial % 3]
            var secret = Secret(metadata: ObjectMetadata(name: "secret-\(serial)", namespace: namespace), type: "Opaque")
            secret.items = [.init(key: "password", value: SecretBytes(utf8: "p-\(serial)")),
                            .init(key: "token", value: SecretBytes(utf8: "t-\(serial)"))]
            return try sealer.seal(secret, scope: scope)
        }
        func yaml(_ object: SealedSecret) throws -> String {
            String(decoding: try YAMLWriter.write(object.node()), as: UTF8.self)
        }
        func json(_ object: SealedSecret) -> String {
            String(decoding: JSONWriter.write(object.node()), as: UTF8.self)
        }
        for index in 0 ..< 20 {  // 100 objects: multi-document YAML with comments, some quoting variety
            var text = "# team \(index) secrets — rotated by sealkit\n"
            for part in 0 ..< 5 {
                var document = try yaml(try sealed("team-\(index)"))
                if part == 1 { document = document.replacingOccurrences(of: "password: Ag", with: "password: 'Ag").replacingOccurrences(of: "\n    token:", with: "'\n    token:") }
                if part == 2 { document = document.replacingOccurrences(of: "token: ", with: "token: \"").replacingOccurrences(of: "\n  template:", with: "\"\n  template:") }
                text += "---\n# object \(part)\n" + document
            }
            files["base/team-\(index)/sealed.yaml"] = text
        }
        for index in 0 ..< 20 { files["overlays/prod/single-\(index).yml"] = try yaml(try sealed("prod")) }  // 20
        for index in 0 ..< 10 { files["json/single-\(index).json"] = json(try sealed("json")) }  // 10
        for index in 0 ..< 10 {  // 70: concatenated JSON
            files["json/stream-\(index).json"] = try (0 ..< 7).map { _ in json(try sealed("stream")) }.joined()
        }
        #expect(files.count == 60)
        #expect(serial == 200)
        // Kustomize files and a plain Secret-free manifest: scanned, left alone.
        files["base/kustomization.yaml"] = "resources:\n" + (0 ..< 20).map { "- team-\($0)/sealed.yaml\n" }.joined()
        files["overlays/prod/kustomization.yaml"] = "resources:\n- ../../base\n"
        files["overlays/prod/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
        var bytes: [String: [UInt8]] = [:]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            bytes[path] = Array(text.utf8)
        }
        return bytes
    }

    static func read(_ root: URL, _ files: [String: [UInt8]]) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for path in files.keys { result[path] = Array(try Data(contentsOf: root.appendingPathComponent(path))) }
        return result
    }

    /// Every item of every SealedSecret in `bytes` opens with `keys`; returns how many items.
    static func itemsOpening(_ bytes: [UInt8], with keys: [PrivateKey]) throws -> Int {
        var count = 0
        for document in try YAMLReader.manifests(bytes) where document.root.mapping?["kind"]?.scalar?.text == "SealedSecret" {
            count += try Unsealer(keys: keys).decryptItems(try SealedSecret(node: document.root)).count
        }
        return count
    }

    private let arguments = ["reseal", ".", "--recovery-private-key", "a.pem,b.pem", "--cert", "b.crt", "--report", "json"]

    private func workspace() throws -> (Workspace, [String: [UInt8]]) {
        let workspace = try Workspace()
        let files = try Self.makeRepository(in: workspace.url)
        try workspace.copyPrivateKey("key.pem", as: "a.pem")
        try workspace.copyPrivateKey("other_key.pem", as: "b.pem")
        try FileManager.default.copyItem(at: Binaries.vectors.appendingPathComponent("other_cert.pem"), to: workspace.path("b.crt"))
        return (workspace, files)
    }

    @Test("A to B: every item opens with B alone, only ciphertext lines change, a second run changes nothing")
    func rotate() throws {
        let (workspace, before) = try workspace()
        let result = try workspace.sealkit(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("files scanned 63, SealedSecrets 200, items re-sealed 400, skipped 0, failed 0"))
        let after = try Self.read(workspace.url, before)
        var items = 0
        for (path, old) in before {
            let new = after[path]!
            items += try Self.itemsOpening(new, with: [Self.keyB])
            let oldLines = String(decoding: old, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let newLines = String(decoding: new, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(oldLines.count == newLines.count, "\(path): line count changed")
            for (oldLine, newLine) in zip(oldLines, newLines) where oldLine != newLine {
                // A changed line is a ciphertext line, and only its ciphertext changed.
                #expect(oldLine.contains("Ag") && newLine.contains("Ag"), "\(path): non-ciphertext line changed: \(oldLine)")
                let strip = { (line: Substring) in line.replacingOccurrences(of: #"Ag[A-Za-z0-9+/=]+"#, with: "X", options: .regularExpression) }
                #expect(strip(oldLine) == strip(newLine), "\(path): more than the ciphertext changed")
            }
        }
        #expect(items == 400)

        let again = try workspace.sealkit(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"itemsResealed\": 0"))
        #expect(try Self.read(workspace.url, before) == after, "a second run must change nothing")
    }

    @Test("--dry-run writes nothing") func dryRun() throws {
        let (workspace, before) = try workspace()
        let result = try workspace.sealkit(arguments + ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"itemsResealed\": 400"))
        #expect(result.stderr.contains("would re-seal"))
        #expect(try Self.read(workspace.url, before) == before)
    }

    @Test("one broken item is reported; everything else is done; exit non-zero") func brokenItem() throws {
        let (workspace, before) = try workspace()
        let path = "overlays/prod/single-3.yml"
        var text = String(decoding: before[path]!, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.contains("password: Ag") }!
        text = text.replacingOccurrences(of: line, with: line.dropLast(10) + "AAAAAAAAAA")
        try Data(text.utf8).write(to: workspace.path(path))
        let result = try workspace.sealkit(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains("error: \(path): document 1: secret-"))
        #expect(result.stderr.contains("item \"password\": no key could decrypt secret"))
        #expect(result.stderr.contains("items re-sealed 399, skipped 0, failed 1"))
        let after = try Self.read(workspace.url, before)
        for (other, bytes) in after where other != path {
            #expect(try Self.itemsOpening(bytes, with: [Self.keyB]) == (try Self.itemsOpening(before[other]!, with: [Self.keyA])))
        }
    }

    @Test("kill -9 mid-run leaves every file old or new; a re-run completes") func interrupted() async throws {
        let (workspace, before) = try workspace()
        let process = Process()
        process.executableURL = Binaries.url("sealkit")
        process.arguments = arguments
        process.currentDirectoryURL = workspace.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .milliseconds(400))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let after = try Self.read(workspace.url, before)
        var changed = 0
        for (path, bytes) in after where bytes != before[path]! {
            changed += 1
            // Not the old file: then it must be the complete new one.
            #expect(try Self.itemsOpening(bytes, with: [Self.keyB]) == (try Self.itemsOpening(before[path]!, with: [Self.keyA])))
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: workspace.url.path).filter { $0.contains(".tmp-") }
        // A killed process can leave a temporary file behind; never a half-written target.
        #expect(leftovers.count <= 2)
        let rerun = try workspace.sealkit(arguments)
        #expect(rerun.status == 0, "\(rerun.stderr.prefix(3000))")
        var items = 0
        for bytes in try Self.read(workspace.url, before).values { items += try Self.itemsOpening(bytes, with: [Self.keyB]) }
        #expect(items == 400)
        _ = changed
    }
}
