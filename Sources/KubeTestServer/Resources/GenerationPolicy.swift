/// Whether and when the server maintains `metadata.generation` for a resource.
///
/// The real API server only tracks generation for kinds whose registry strategy does so:
/// custom resources always (starting at 1 and counting every change outside `metadata` and,
/// with a status subresource, outside `status`), and some built-in kinds such as
/// Deployments. Of the kinds served here only SealedSecrets do; Secrets, ConfigMaps, Events,
/// Namespaces, Services and Leases never get a generation, even those with a `spec`.
enum GenerationPolicy: Sendable {
    /// `metadata.generation` is never set.
    case untracked
    /// Starts at 1 and increments when anything but `metadata` (and `status`, when the
    /// resource has a status subresource) changes.
    case desiredState
}
