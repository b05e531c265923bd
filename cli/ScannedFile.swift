import Foundation
import SealKit

/// A file to judge: its name in findings, where it sits in the repository, and its bytes.
struct ScannedFile {
    var display: String
    var relativePath: String?
    var bytes: [UInt8]

    /// The files under `paths` in the working tree (every file, or only `extensions`).
    static func workingTree(_ paths: [String], extensions: Set<String>?, policy: RepositoryPolicy?) throws(CLIFailure) -> [ScannedFile] {
        var result: [ScannedFile] = []
        for path in try RepositoryWalker.files(under: paths.isEmpty ? ["."] : paths, extensions: extensions) {
            let input = try InputFile.read(path)
            var display = path
            while display.hasPrefix("./") { display.removeFirst(2) }
            result.append(ScannedFile(display: display, relativePath: policy?.relativePath(path), bytes: input.bytes))
        }
        return result
    }

    /// The files staged for commit under `paths`, with their staged content.
    static func staged(_ paths: [String], root: String, policy: RepositoryPolicy?) throws(CLIFailure) -> [ScannedFile] {
        var result: [ScannedFile] = []
        for path in try StagedFiles.paths(limitedTo: paths) {
            let absolute = (root as NSString).appendingPathComponent(path)
            result.append(ScannedFile(display: path, relativePath: policy?.relativePath(absolute),
                                      bytes: try StagedFiles.content(of: path, root: root)))
        }
        return result
    }
}
