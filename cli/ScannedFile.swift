import Foundation
import SealKit

/// A file to judge: its name in findings, where it sits in the repository, and its bytes.
/// Files are handed to the check one at a time, so a large repository is never all in memory.
struct ScannedFile {
    var display: String
    var relativePath: String?
    var bytes: [UInt8]

    /// Every file under `paths` in the working tree (every file, or only `extensions`);
    /// returns how many were judged.
    static func workingTree(_ paths: [String], extensions: Set<String>?, policy: RepositoryPolicy?,
                            _ judge: (ScannedFile) -> Void) throws(CLIFailure) -> Int {
        var count = 0
        for path in try RepositoryWalker.files(under: paths.isEmpty ? ["."] : paths, extensions: extensions) {
            // A large binary (an image, an archive) is no manifest and would only stop the scan.
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > InputFile.maximumSize {
                Console.err("note: skipped \(path): larger than \(InputFile.maximumSize >> 20) MiB\n")
                continue
            }
            let input = try InputFile.read(path)
            var display = path
            while display.hasPrefix("./") { display.removeFirst(2) }
            judge(ScannedFile(display: display, relativePath: policy?.relativePath(path), bytes: input.bytes))
            count += 1
        }
        return count
    }

    /// Every file staged for commit under `paths`, with its staged content; returns how many.
    static func staged(_ paths: [String], root: String, policy: RepositoryPolicy?,
                       _ judge: (ScannedFile) -> Void) throws(CLIFailure) -> Int {
        let staged = try StagedFiles.paths(limitedTo: paths)
        for path in staged {
            let absolute = (root as NSString).appendingPathComponent(path)
            judge(ScannedFile(display: path, relativePath: policy?.relativePath(absolute),
                              bytes: try StagedFiles.content(of: path, root: root)))
        }
        return staged.count
    }
}
