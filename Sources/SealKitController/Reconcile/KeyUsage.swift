import Synchronization

/// SealedSecret → the key fingerprints it needs, with running totals per key: they feed the
/// objects-per-key gauge and decide which keys are tried first for an object seen for the
/// first time (the key most objects need is the likeliest).
final class KeyUsage: Sendable {
    private struct State {
        var byObject: [String: Set<String>] = [:]
        var totals: [String: Int] = [:]
    }

    private let state = Mutex(State())

    /// Records `key`'s fingerprints; returns the new totals of the keys whose total changed
    /// (a key that lost its last object reports zero).
    func record(_ key: String, fingerprints: Set<String>) -> [String: Int] {
        state.withLock { state in
            let previous = state.byObject.updateValue(fingerprints, forKey: key) ?? []
            return Self.apply(&state, removed: previous.subtracting(fingerprints), added: fingerprints.subtracting(previous))
        }
    }

    func forget(_ key: String) -> [String: Int] {
        state.withLock { state in
            let previous = state.byObject.removeValue(forKey: key) ?? []
            return Self.apply(&state, removed: previous, added: [])
        }
    }

    /// `fingerprints` ordered by how many objects each opened, most first.
    func byPopularity(_ fingerprints: [String]) -> [String] {
        let totals = state.withLock { $0.totals }
        return fingerprints.enumerated().sorted { a, b in
            let (countA, countB) = (totals[a.element] ?? 0, totals[b.element] ?? 0)
            return countA != countB ? countA > countB : a.offset < b.offset
        }.map(\.element)
    }

    private static func apply(_ state: inout State, removed: Set<String>, added: Set<String>) -> [String: Int] {
        var changed: [String: Int] = [:]
        for fingerprint in removed {
            let total = max(0, (state.totals[fingerprint] ?? 0) - 1)
            state.totals[fingerprint] = total == 0 ? nil : total
            changed[fingerprint] = total
        }
        for fingerprint in added {
            let total = (state.totals[fingerprint] ?? 0) + 1
            state.totals[fingerprint] = total
            changed[fingerprint] = total
        }
        return changed
    }
}
