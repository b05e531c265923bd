import Foundation
import Testing

/// The C libraries are reachable from one Swift target each. The package graph gives only
/// `SealKitCrypto` and `SealKitYAML` the C modules, but SwiftPM also makes a dependency's C
/// modules importable by everything that depends on it, so the graph alone would let a file in
/// `SealKit` or the CLI call OpenSSL directly. This test closes that gap.
@Suite("Layering")
struct LayeringTests {
    /// Each C module and the one source folder allowed to import it.
    static let owners = ["COpenSSL": "Sources/SealKitCrypto/", "CYAML": "Sources/SealKitYAML/"]
    static let sourceFolders = ["Sources", "cli", "controller", "Benchmarks", "Fuzz"]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every `.swift` file under the source folders, as paths relative to the repository root.
    static func swiftFiles() throws -> [String] {
        let root = repositoryRoot.path + "/"
        var files: [String] = []
        for folder in sourceFolders {
            let url = repositoryRoot.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: url.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".swift") {
                files.append(String((url.path + "/" + path).dropFirst(root.count)))
            }
        }
        return files
    }

    /// The modules a file imports, whatever the access modifier or attribute before `import`.
    static func importedModules(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                  words[..<index].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "package", "private", "fileprivate"].contains($0) })
            else { return nil }
            return String(words[index + 1].split(separator: ".").first ?? "")
        }
    }

    @Test("only SealKitCrypto imports OpenSSL and only SealKitYAML imports libyaml")
    func cModulesStayInTheirLayer() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 100, "the walk found too few sources to be a real check: \(files.count)")
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            for module in Self.importedModules(in: text) {
                if let owner = Self.owners[module], !file.hasPrefix(owner) { offenders.append("\(file) imports \(module)") }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test("the import scanner sees every spelling of an import")
    func scannerSeesEveryImportForm() {
        let text = "import COpenSSL\n@_implementationOnly import CYAML\npublic import Foundation.NSData\n// import Nothing\nlet important = 1\n"
        #expect(Self.importedModules(in: text) == ["COpenSSL", "CYAML", "Foundation"])
    }
}
