/// Sprig's reflection helpers: `typeOf` (`%T`), `kindOf` (`reflect.Kind`), their `...Is`
/// predicates, and `deepEqual`.
enum SprigReflection {
    static let functions: [String: TemplateFunction] = [
        "typeOf": TemplateFunction([.any]) { _, a in .string(a[0].typeName) },
        "typeIs": TemplateFunction([.string, .any]) { _, a in .bool(a[0].str == Array(a[1].typeName.utf8)) },
        "typeIsLike": TemplateFunction([.string, .any]) { _, a in
            let type = Array(a[1].typeName.utf8)
            return .bool(a[0].str == type || [UInt8(ascii: "*")] + a[0].str == type)
        },
        "kindOf": TemplateFunction([.any]) { _, a in .string(a[0].indirected.kind.name) },
        "kindIs": TemplateFunction([.string, .any]) { _, a in .bool(a[0].str == Array(a[1].indirected.kind.name.utf8)) },
        "deepEqual": TemplateFunction([.any, .any]) { _, a throws(TemplateFailure) in
            .bool(try DeepEqual.equal(a[0], a[1]))
        },
    ]
}
