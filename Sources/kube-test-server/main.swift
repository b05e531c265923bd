import Foundation
import KubeTestServer
import Logging

/// `kube-test-server`: runs the test API server by hand, for trying kubectl or SealKit's
/// CLI against it. Stops cleanly on SIGINT or SIGTERM.

let options: CommandLineOptions
do {
    options = try CommandLineOptions(Array(CommandLine.arguments.dropFirst()))
} catch let error as CommandLineError {
    if error.description.isEmpty {
        print(CommandLineOptions.usage)
        exit(0)
    }
    FileHandle.standardError.write(Data("error: \(error)\n\n\(CommandLineOptions.usage)\n".utf8))
    exit(64)
}

var configuration = options.configuration
let logLevel = options.logLevel
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = logLevel
    return handler
}
configuration.logger = Logger(label: "sealkit.kube-test-server")

let server = KubeAPIServer(configuration: configuration)
let url: URL
do {
    url = try await server.start()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
// The URL goes out first and alone, so scripts can read one line and connect.
FileHandle.standardOutput.write(Data("\(url.absoluteString)\n".utf8))

let (signals, signalContinuation) = AsyncStream.makeStream(of: Int32.self)
let signalSources = [SIGINT, SIGTERM].map { signalNumber in
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler { signalContinuation.yield(signalNumber) }
    source.resume()
    return source
}
for await _ in signals {
    break
}
await server.stop()
withExtendedLifetime(signalSources) {}
