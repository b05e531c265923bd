import Foundation
import SealKit

/// What is about to be committed: the files staged in the git index and their staged content
/// (which may differ from the working tree after `git add -p`). `sealkit guard --staged` judges
/// exactly these bytes, so a secret removed from the file but still staged is caught.
enum StagedFiles {
    /// The repository's top directory (paths in the index are relative to it).
    static func root() throws(CLIFailure) -> String {
        let (status, output) = RepositoryWalker.git(["rev-parse", "--show-toplevel"], input: nil)
        let root = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, !root.isEmpty else {
            throw CLIFailure("--staged: not inside a git repository (git rev-parse --show-toplevel failed)")
        }
        return root
    }

    /// Staged paths (added, copied, modified, renamed; not deleted), relative to the top
    /// directory, limited to `pathspecs` (relative to the current directory) when given.
    static func paths(limitedTo pathspecs: [String]) throws(CLIFailure) -> [String] {
        let arguments = ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--ignore-submodules", "--"] + pathspecs
        let (status, output) = RepositoryWalker.git(arguments, input: nil)
        guard status == 0 else { throw CLIFailure("--staged: git diff --cached failed (exit \(status))") }
        return output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    /// The staged content of `path` (relative to the top directory): `git show :path`.
    static func content(of path: String, root: String) throws(CLIFailure) -> [UInt8] {
        let (status, output) = RepositoryWalker.git(["-C", root, "show", ":\(path)"], input: nil)
        guard status == 0 else { throw CLIFailure("\(path): cannot read the staged content (git show :\(path) failed)") }
        return Array(output)
    }

    /// The staged `.sealkit.yaml` at the top directory, if there is one: the policy being
    /// committed is the one that judges the commit.
    static func policyContent(root: String) -> [UInt8]? {
        let (status, output) = RepositoryWalker.git(["-C", root, "show", ":\(RepositoryPolicy.fileName)"], input: nil)
        return status == 0 ? Array(output) : nil
    }
}
