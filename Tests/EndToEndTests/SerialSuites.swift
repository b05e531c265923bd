import Testing

/// Suites that each start API servers, controllers or benchmarks and measure time (lease
/// renewals, hand-over, latency): run one after another, so that on two cores they do not
/// load the machine for each other. Other suites still run in parallel with them.
@Suite(.serialized)
enum SerialSuites {}
