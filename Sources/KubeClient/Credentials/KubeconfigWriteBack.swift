import Foundation
import SealKit

/// Writes renewed credentials back into a kubeconfig file, as kubectl's config persister does:
/// the whole file is re-serialised (comments are lost, as with kubectl) and replaced
/// atomically with mode 0600, so a crash leaves the old or the new file, never half of one.
enum KubeconfigWriteBack {
    /// Sets `users[name=user].user.auth-provider.config.<key>` for each of `values`.
    static func updateAuthProvider(path: String, user: String, values: [String: String]) throws(KubeError) {
        func failure(_ message: String) -> KubeError {
            KubeError(.configuration, "cannot save the renewed token into \(path): \(message)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("cannot read the file") }
        var root: Mapping
        do {
            guard let mapping = try YAMLReader.documents(Array(data)).first?.root.mapping else { throw failure("not a kubeconfig") }
            root = mapping
        } catch let error as KubeError {
            throw error
        } catch {
            throw failure("not valid YAML")
        }
        guard var users = root["users"]?.sequence,
              let index = users.firstIndex(where: { $0.mapping?["name"]?.scalar?.text == user }),
              var entry = users[index].mapping, var body = entry["user"]?.mapping,
              var provider = body["auth-provider"]?.mapping
        else { throw failure("user \"\(user)\" has no auth-provider there any more") }
        var config = provider["config"]?.mapping ?? Mapping()
        for key in values.keys.sorted() {
            if let value = values[key], !value.isEmpty { config[key] = .string(value) }
        }
        provider["config"] = .mapping(config)
        body["auth-provider"] = .mapping(provider)
        entry["user"] = .mapping(body)
        users[index] = .mapping(entry)
        root["users"] = .sequence(users)
        do {
            try AtomicFile.writeConfidential(try YAMLWriter.write(.mapping(root)), to: path)
        } catch {
            throw failure("\(error)")
        }
    }
}
