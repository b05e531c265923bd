// The core's public face includes its crypto and YAML layers: code that imports SealKit works with
// keys, certificates and YAML nodes without naming the layer each lives in.
@_exported public import SealKitCrypto
@_exported public import SealKitYAML
