import Foundation
import Testing
@testable import SealKit

@Suite struct AvailableProcessorsTests {
    @Test func theSmallestLimitWins() {
        #expect(AvailableProcessors.count(online: 8, affinity: nil, cgroupV2CPUMax: nil, cgroupV1Quota: nil, cgroupV1Period: nil) == 8)
        #expect(AvailableProcessors.count(online: 8, affinity: 1, cgroupV2CPUMax: "max 100000\n", cgroupV1Quota: nil, cgroupV1Period: nil) == 1)
        #expect(AvailableProcessors.count(online: 8, affinity: 8, cgroupV2CPUMax: "150000 100000\n", cgroupV1Quota: nil, cgroupV1Period: nil) == 2)
        #expect(AvailableProcessors.count(online: 8, affinity: 4, cgroupV2CPUMax: nil, cgroupV1Quota: "100000\n", cgroupV1Period: "100000\n") == 1)
    }

    @Test func aQuotaBelowOneCPUStillLeavesOne() {
        #expect(AvailableProcessors.quota(cpuMax: "50000 100000") == 1)
        #expect(AvailableProcessors.count(online: 2, affinity: 2, cgroupV2CPUMax: "1000 100000", cgroupV1Quota: nil, cgroupV1Period: nil) == 1)
    }

    @Test func noLimitAndUnreadableValuesAreIgnored() {
        #expect(AvailableProcessors.quota(cpuMax: "max 100000") == nil)
        #expect(AvailableProcessors.quota(cpuMax: "") == nil)
        #expect(AvailableProcessors.quota(cpuMax: "abc def") == nil)
        #expect(AvailableProcessors.quota(quota: "-1", period: "100000") == nil)
        #expect(AvailableProcessors.quota(quota: "100000", period: "0") == nil)
        #expect(AvailableProcessors.count(online: 0, affinity: nil, cgroupV2CPUMax: nil, cgroupV1Quota: nil, cgroupV1Period: nil) == 1)
    }

    @Test func thisProcessHasAtLeastOneAndNoMoreThanTheMachine() {
        #expect(AvailableProcessors.count >= 1)
        #expect(AvailableProcessors.count <= max(ProcessInfo.processInfo.processorCount, 1))
    }
}
