import Testing
@testable import SealKitController

/// `condition_info` is rendered by the controller itself (one byte per value, not a registry
/// gauge per object): the lines must still be exactly Bitnami's, and go with their object.
@Suite("condition_info")
struct ConditionGaugesTests {
    private func lines(_ gauges: ConditionGauges) -> [String] {
        String(decoding: gauges.exposition(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("one TYPE line, one series per object and condition, removed with the object") func series() {
        let gauges = ConditionGauges()
        #expect(gauges.exposition().isEmpty)
        gauges.record(key: "prod/db", instance: "payments", condition: "Synced", status: true)
        gauges.record(key: "dev/db", instance: "", condition: "Synced", status: false)
        gauges.record(key: "dev/db", instance: "", condition: "Synced", status: nil)
        gauges.record(key: "dev/db", instance: "", condition: "Unknown-Condition", status: true)
        #expect(lines(gauges) == [
            "# TYPE sealed_secrets_controller_condition_info gauge",
            #"sealed_secrets_controller_condition_info{namespace="dev",name="db",condition="Synced",ss_app_kubernetes_io_instance=""} 0"#,
            #"sealed_secrets_controller_condition_info{namespace="prod",name="db",condition="Synced",ss_app_kubernetes_io_instance="payments"} 1"#,
        ])
        gauges.forget(key: "prod/db")
        #expect(lines(gauges).count == 2)
        gauges.forget(key: "dev/db")
        #expect(gauges.exposition().isEmpty)
    }

    @Test("a new instance label replaces the series; label values are escaped") func relabel() {
        let gauges = ConditionGauges()
        gauges.record(key: "prod/db", instance: "old", condition: "Synced", status: true)
        gauges.record(key: "prod/db", instance: #"new"\"#, condition: "Synced", status: false)
        #expect(lines(gauges).dropFirst() == [
            #"sealed_secrets_controller_condition_info{namespace="prod",name="db",condition="Synced",ss_app_kubernetes_io_instance="new\"\\"} -1"#,
        ])
    }
}
