@testable import KubeTestServer
import Testing

/// The JSON parser, writer and patch engines.
@Suite struct JSONTests {
    @Test func parsesAndWritesRoundTrip() throws {
        let text = #"{"a":[1,-2.5,true,false,null,"x\"\\\n\u00e9\ud83d\ude00"],"b":{"c":1e3,"d":9007199254740993}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["a"]?.arrayValue?[0] == .int(1))
        #expect(value["a"]?.arrayValue?[1] == .double(-2.5))
        #expect(value["a"]?.arrayValue?[2] == .bool(true))
        #expect(value["a"]?.arrayValue?[4] == .null)
        #expect(value["a"]?.arrayValue?[5] == .string("x\"\\\né😀"))
        #expect(value["b"]?["c"] == .double(1000))
        #expect(value["b"]?["d"] == .int(9_007_199_254_740_993), "64-bit integers survive")
        #expect(try JSONValue(parsing: value.serialized) == value)
        #expect(JSONValue.object(["b": 1, "a": 2]).serialized == #"{"a":2,"b":1}"#, "keys are sorted")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\u{01}\"", "{} x", "[1] [2]"])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }

    @Test func mergePatchFollowsRFC7386() {
        // The examples of RFC 7386 appendix A.
        let cases: [(JSONValue, JSONValue, JSONValue)] = [
            (["a": "b"], ["a": "c"], ["a": "c"]),
            (["a": "b"], ["b": "c"], ["a": "b", "b": "c"]),
            (["a": "b"], ["a": .null], [:]),
            (["a": "b", "b": "c"], ["a": .null], ["b": "c"]),
            (["a": ["b"]], ["a": "c"], ["a": "c"]),
            (["a": "c"], ["a": ["b"]], ["a": ["b"]]),
            (["a": ["b": "c"]], ["a": ["b": "d", "c": .null]], ["a": ["b": "d"]]),
            (["a": [["b": "c"]]], ["a": [1]], ["a": [1]]),
            (["e": .null], ["a": 1], ["e": .null, "a": 1]),
            ([1, 2], ["a": "b", "c": .null], ["a": "b"]),
            ([:], ["a": ["bb": ["ccc": .null]]], ["a": ["bb": [:]]]),
        ]
        for (target, patch, expected) in cases {
            #expect(JSONMergePatch.apply(patch, to: target) == expected)
        }
    }

    @Test func jsonPatchFollowsRFC6902() throws {
        let document: JSONValue = ["foo": ["bar", "baz"], "a/b": 1, "m~n": 2]
        let patched = try JSONPatch.apply([
            ["op": "add", "path": "/foo/1", "value": "qux"],
            ["op": "replace", "path": "/a~1b", "value": 3],
            ["op": "move", "from": "/m~0n", "path": "/moved"],
            ["op": "copy", "from": "/moved", "path": "/copied"],
            ["op": "test", "path": "/foo", "value": ["bar", "qux", "baz"]],
        ], to: document)
        #expect(patched == ["foo": ["bar", "qux", "baz"], "a/b": 3, "moved": 2, "copied": 2])
        #expect(throws: JSONPatchError.self) {
            try JSONPatch.apply([["op": "add", "path": "/missing/child", "value": 1]], to: document)
        }
        #expect(throws: JSONPatchError.self) {
            try JSONPatch.apply([["op": "replace", "path": "/nope", "value": 1]], to: document)
        }
        #expect(throws: JSONPatchError.self) {
            try JSONPatch.apply([["op": "move", "from": "/foo", "path": "/foo/0"]], to: document)
        }
    }

    @Test func strategicMergePatchDirectives() throws {
        let engine = StrategicMergePatch(listStrategies: [["spec", "ports"]: .mergeByKey("port"),
                                                          ["metadata", "finalizers"]: .mergePrimitives])
        let original: JSONValue = [
            "metadata": ["finalizers": ["a", "b"], "labels": ["x": "1", "y": "2"]],
            "spec": ["ports": [["port": 80, "name": "http"], ["port": 443, "name": "https"]], "other": [1, 2]],
        ]
        let patched = try engine.apply([
            "metadata": ["$deleteFromPrimitiveList/finalizers": ["a"], "labels": ["$patch": "replace", "z": "3"]],
            "spec": ["ports": [["port": 443, "$patch": "delete"], ["port": 8080, "name": "alt"]], "other": [3]],
        ], to: original)
        #expect(patched["metadata"]?["finalizers"] == ["b"])
        #expect(patched["metadata"]?["labels"] == ["z": "3"])
        #expect(patched["spec"]?["ports"] == [["port": 80, "name": "http"], ["port": 8080, "name": "alt"]])
        #expect(patched["spec"]?["other"] == [3], "lists without a strategy are replaced")
        let retained = try engine.apply(["spec": ["$retainKeys": ["ports"], "ports": [["port": 80, "name": "web"]]]], to: original)
        #expect(retained["spec"] == ["ports": [["port": 80, "name": "web"], ["port": 443, "name": "https"]]])
    }
}
