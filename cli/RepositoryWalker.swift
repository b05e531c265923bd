import Foundation

/// Files to consider under the given paths, without `.git` and what git ignores: YAML and JSON
/// for `reseal` and `lint`, every file for `guard` (a token leaks from a `.env` as easily).
enum RepositoryWalker {
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// - Parameter extensions: file extensions to keep inside directories (nil: every file).
    ///   A file named explicitly is always kept.
    static func files(under paths: [String], extensions: Set<String>? = RepositoryWalker.extensions) throws(CLIFailure) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIFailure("\(path): no such file or directory")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            guard let enumerator = FileManager.default.enumerator(atPath: path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name == ".git" {
                    enumerator.skipDescendants()
                    continue
                }
                let full = path == "." ? relative : (path as NSString).appendingPathComponent(relative)
                if let extensions {
                    if extensions.contains((name as NSString).pathExtension.lowercased()) { files.append(full) }
                } else {
                    var isDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(full) }
                }
            }
        }
        return removingGitIgnored(files).sorted()
    }

    /// Asks git which of `files` it ignores: one `git check-ignore --stdin` per repository
    /// root, with absolute paths; outside a repository, or without git, nothing is ignored.
    private static func removingGitIgnored(_ files: [String]) -> [String] {
        guard !files.isEmpty else { return files }
        let current = FileManager.default.currentDirectoryPath
        let absolute = files.map { $0.hasPrefix("/") ? $0 : (current as NSString).appendingPathComponent($0) }
        var ignored = Set<String>()
        // Group by directory so each `git -C` runs inside the tree the files belong to.
        let byDirectory = Dictionary(grouping: absolute.indices) { (absolute[$0] as NSString).deletingLastPathComponent }
        var checkedRoots: [String: Set<String>] = [:]
        for (directory, indices) in byDirectory {
            let root = gitRoot(of: directory) ?? ""
            guard !root.isEmpty else { continue }
            checkedRoots[root, default: []].formUnion(indices.map { absolute[$0] })
        }
        for (root, paths) in checkedRoots {
            ignored.formUnion(checkIgnore(Array(paths), root: root))
        }
        return files.indices.filter { !ignored.contains(absolute[$0]) }.map { files[$0] }
    }

    private static func gitRoot(of directory: String) -> String? {
        let (status, output) = git(["-C", directory, "rev-parse", "--show-toplevel"], input: nil)
        guard status == 0 else { return nil }
        let root = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return root.isEmpty ? nil : root
    }

    private static func checkIgnore(_ paths: [String], root: String) -> Set<String> {
        let (status, output) = git(["-C", root, "check-ignore", "--stdin", "-z"], input: Data(paths.joined(separator: "\0").utf8 + [0]))
        // 0: some paths ignored, 1: none; anything else: git could not tell, ignore nothing.
        guard status == 0 else { return [] }
        return Set(output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
    }

    /// Runs git with stdin and stdout through pipes, read and written concurrently so neither
    /// side can block on a full pipe.
    static func git(_ arguments: [String], input: Data?) -> (Int32, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, Data()) }
        let writer = Thread {
            // git may exit early (not a repository); the failed write is then expected.
            if let input { try? stdin.fileHandleForWriting.write(contentsOf: input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}
