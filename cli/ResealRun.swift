import Foundation
import SealKit

/// Re-seals files concurrently (one task per file, as many at once as there are cores — RSA is
/// the cost) and writes each changed file atomically, so an interrupted run leaves every file
/// either old or new, and a re-run completes the rest.
struct ResealRun {
    struct FileResult: Sendable {
        var path: String
        var outcome: FileResealer.FileOutcome
        var writeError: String?
    }

    let resealer: FileResealer
    let dryRun: Bool

    func run(_ files: [String], progress: Progress) async -> [FileResult] {
        let width = AvailableProcessors.count
        var results: [FileResult] = []
        await withTaskGroup(of: FileResult.self) { group in
            var next = 0
            func startNext() {
                guard next < files.count else { return }
                let path = files[next]
                next += 1
                group.addTask { await process(path) }
            }
            for _ in 0 ..< width { startNext() }
            for await result in group {
                results.append(result)
                progress.advance(file: result.path, items: result.outcome.items.count)
                startNext()
            }
        }
        return results.sorted { $0.path < $1.path }
    }

    private func process(_ path: String) async -> FileResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            return FileResult(path: path, outcome: .init(rewritten: nil, sealedSecrets: 0, items: [], fileError: "cannot read"))
        }
        let outcome = await resealer.reseal(Array(data))
        var result = FileResult(path: path, outcome: outcome)
        if let rewritten = outcome.rewritten, !dryRun {
            do { try AtomicFile.write(rewritten, to: path) } catch {
                result.writeError = error.reason
            }
        }
        return result
    }
}

/// A progress bar on a terminal, nothing otherwise (the summary follows either way).
final class Progress: @unchecked Sendable {
    // Touched only from the run loop's single consuming task.
    private let total: Int
    private var files = 0
    private var items = 0
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(total: Int) {
        self.total = total
    }

    func advance(file: String, items count: Int) {
        files += 1
        items += count
        guard isTerminal else { return }
        let width = 30
        let filled = total == 0 ? width : files * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        Console.err("\r[\(bar)] \(files)/\(total) files, \(items) items")
    }

    func finish() {
        if isTerminal, total > 0 { Console.err("\n") }
    }
}

/// Totals and per-item details of a run: human lines for stderr, a JSON report for tools.
struct ResealSummary {
    let results: [ResealRun.FileResult]
    var scanned: Int { results.count }
    var objects: Int { results.reduce(0) { $0 + $1.outcome.sealedSecrets } }
    var resealed: Int { count { if case .resealed = $0 { true } else { false } } }
    var skipped: Int { count { if case .skipped = $0 { true } else { false } } }
    var failed: Int {
        count { if case .failed = $0 { true } else { false } }
            + results.filter { $0.outcome.fileError != nil || $0.writeError != nil }.count
    }

    init(_ results: [ResealRun.FileResult]) {
        self.results = results
    }

    private func count(_ predicate: (FileResealer.ItemOutcome.Result) -> Bool) -> Int {
        results.reduce(0) { $0 + $1.outcome.items.filter { predicate($0.result) }.count }
    }

    /// One line per changed file and per failure.
    func lines(dryRun: Bool) -> [String] {
        var lines: [String] = []
        for result in results {
            if let error = result.outcome.fileError {
                // Files that are not YAML at all are common in a repository; only name them.
                lines.append("skipped \(result.path): not YAML or JSON (\(error))")
                continue
            }
            if let error = result.writeError { lines.append("error: \(result.path): \(error)") }
            for item in result.outcome.items {
                if case .failed(let reason) = item.result {
                    lines.append("error: \(result.path): document \(item.document): \(item.object): item \"\(item.item)\": \(reason)")
                }
            }
            let changed = result.outcome.items.filter { $0.result == .resealed }.count
            if changed > 0 { lines.append("\(dryRun ? "would re-seal" : "re-sealed") \(changed) item(s) in \(result.path)") }
        }
        return lines
    }

    func totals(dryRun: Bool) -> String {
        "files scanned \(scanned), SealedSecrets \(objects), items \(dryRun ? "to re-seal" : "re-sealed") \(resealed), skipped \(skipped), failed \(failed)"
    }

    func report(dryRun: Bool) -> Node {
        var failures: [Node] = []
        var changedFiles: [Node] = []
        for result in results {
            if let error = result.writeError {
                failures.append(.mapping(Mapping(["file": .string(result.path), "error": .string(error)])))
            }
            for item in result.outcome.items {
                if case .failed(let reason) = item.result {
                    failures.append(.mapping(Mapping([
                        "file": .string(result.path), "document": .int(item.document), "object": .string(item.object),
                        "item": .string(item.item), "error": .string(reason),
                    ])))
                }
            }
            if result.outcome.rewritten != nil { changedFiles.append(.string(result.path)) }
        }
        return .mapping(Mapping([
            "dryRun": .bool(dryRun),
            "filesScanned": .int(scanned),
            "sealedSecrets": .int(objects),
            "itemsResealed": .int(resealed),
            "itemsSkipped": .int(skipped),
            "itemsFailed": .int(failed),
            "changedFiles": .sequence(changedFiles),
            "failures": .sequence(failures),
        ]))
    }
}
