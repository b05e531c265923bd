import Foundation
import KubeClient
import KubeTestServer
import SealKit
import Testing
import TestSupport

/// The controller against an API server that answers late, as one busy with a bulk apply
/// does: the unsealing thread must not sit idle while reconciles wait for answers.
extension SerialSuites {
@Suite("Controller against a slow API server", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct SlowAPIServerTests {
    @Test("every answer 300 ms late: one unsealing thread keeps four objects in flight, so 8 objects take two rounds, not four")
    func reconcilesOverlapTheirWaits() async throws {
        let (cluster, controller) = try await TestCluster.withController(["--workers", "1"])
        defer { Task { await cluster.stop() } }
        try await cluster.eventually(timeout: .seconds(60), "ready") { try await controller.get("/readyz").status == 200 }
        try cluster.workspace.write("cert.pem", try await controller.get("/v1/cert.pem").body)

        let count = 8
        var sealed: [KubeObject] = []
        for index in 0 ..< count {
            let output = try await cluster.sealkit(["--cert", "cert.pem", "-o", "json"], stdin: """
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s\(index)", "namespace": "slow"},
                 "stringData": {"token": "value-\(index)"}}
                """)
            #expect(output.status == 0, "\(output.stderr)")
            sealed.append(KubeObject(try #require(try YAMLReader.jsonValue(Array(output.stdout.utf8)))))
        }

        // Every request in the namespace waits: reading a SealedSecret, writing its Secret, its
        // Event and its status. The watches (cluster-wide paths) are not slowed.
        let delay = Duration.milliseconds(300)
        cluster.server.faults.delayResponses(by: delay, matching: .path(containing: "/namespaces/slow/"))
        defer { cluster.server.faults.reset() }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for object in sealed {
                group.addTask { _ = try await cluster.client.create(.sealedSecrets, namespace: "slow", object) }
            }
            try await group.waitForAll()
        }
        try await cluster.eventually(timeout: .seconds(30), "all Secrets") {
            try await cluster.client.list(.secrets, namespace: "slow").items.count == count
        }
        let elapsed = ContinuousClock.now - started

        // A reconcile waits for three answers in a row (the read, the Secret, then the Event and
        // status together): 0.9 s. Four at a time, 8 objects take two rounds: with the creates
        // and the last list, 2.25 s measured. Two at a time took four rounds: 3.9 s.
        #expect(elapsed < TestTimeouts.scaled(.milliseconds(3_000)), "8 objects took \(elapsed)")
    }
}
}
