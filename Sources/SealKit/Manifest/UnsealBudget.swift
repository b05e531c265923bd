/// The most work one SealedSecret may cost to unseal. Anyone who can create a SealedSecret in
/// a watched namespace, or POST to the controller's API, chooses the input; without these
/// bounds a 10 KB object of `{{repeat 1000000 "x"}}` entries, or thousands of items, costs
/// the controller gigabytes or minutes on every re-list.
public struct UnsealBudget: Sendable, Equatable {
    /// Largest number of `encryptedData` items.
    public var maxItems: Int
    /// Largest number of `spec.template.data` entries.
    public var maxTemplateEntries: Int
    /// Largest Secret, counted as Kubernetes counts it (the sum of the values' lengths):
    /// decrypted items and rendered entries together.
    public var maxSecretBytes: Int
    /// Template work for all entries of the object together (see `TemplateLimits.maxSteps`).
    public var maxTemplateSteps: Int

    public init(maxItems: Int, maxTemplateEntries: Int, maxSecretBytes: Int, maxTemplateSteps: Int) {
        self.maxItems = maxItems
        self.maxTemplateEntries = maxTemplateEntries
        self.maxSecretBytes = maxSecretBytes
        self.maxTemplateSteps = maxTemplateSteps
    }

    /// What the controller grants an object or a request: a Secret cannot hold more than
    /// 1 MiB, and an object that fits etcd cannot carry more than about 2 000 RSA-4096
    /// ciphertexts, so honest objects never come near these bounds.
    public static let cluster = UnsealBudget(maxItems: 4096, maxTemplateEntries: 1024, maxSecretBytes: 1 << 20,
                                             maxTemplateSteps: 4_000_000)

    /// Offline recovery by the holder of the private keys: no bound on items, the same bound
    /// on the Secret (the cluster would refuse a larger one) and generous template work.
    public static let offline = UnsealBudget(maxItems: .max, maxTemplateEntries: .max, maxSecretBytes: 1 << 20,
                                             maxTemplateSteps: 100_000_000)
}

/// What is left of an ``UnsealBudget`` while one object's templates render.
public struct RenderBudget: Sendable, Equatable {
    /// Output bytes the remaining entries may produce together.
    public var outputBytes: Int
    /// Template steps the remaining entries may take together.
    public var steps: Int

    public init(outputBytes: Int, steps: Int) {
        self.outputBytes = outputBytes
        self.steps = steps
    }
}
