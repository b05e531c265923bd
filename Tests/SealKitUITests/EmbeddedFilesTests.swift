import Foundation
import Testing
@testable import SealKitUI

/// The binary embeds `ui/` through a generated Swift file; this fails when they differ, so a
/// change to the page cannot ship without `scripts/embed-ui.py`.
@Suite("Embedded page files")
struct EmbeddedFilesTests {
    static let uiDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ui")

    @Test("every file of ui/ is embedded byte for byte, and nothing else is") func upToDate() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.uiDirectory.path)
            .filter { [".html", ".css", ".js", ".svg"].contains(where: $0.hasSuffix) }
            .sorted()
        #expect(!names.isEmpty)
        #expect(names == UIAssets.sources.keys.sorted(), "ui/ and the embedded files differ: run scripts/embed-ui.py")
        for name in names {
            let onDisk = try Data(contentsOf: Self.uiDirectory.appendingPathComponent(name))
            #expect(Array(onDisk) == UIAssets.files[name]?.bytes,
                    "\(name) differs from its embedded copy: run scripts/embed-ui.py")
        }
    }

    @Test("the page has no inline script or style, which its CSP would block") func noInlineCode() throws {
        let html = try #require(UIAssets.sources["index.html"])
        #expect(!html.contains("<script>"))
        #expect(!html.contains("style="))
        #expect(!html.contains("<style"))
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil, "no inline event handlers (onclick=…)")
        // Every script is an ES module loaded from the page's own files.
        #expect(html.contains(#"<script type="module" src="app.js"></script>"#))
        var fetches = 0
        for (name, text) in UIAssets.sources where name.hasSuffix(".js") {
            #expect(text.range(of: #"(from|import)\s*\(?\s*['"](?!\./)"#, options: .regularExpression) == nil,
                    "\(name) imports only the page's own modules")
            #expect(!text.contains("XMLHttpRequest") && !text.contains("sendBeacon") && !text.contains("WebSocket"),
                    "\(name) opens no connection")
            fetches += text.components(separatedBy: "fetch(").count - 1
            #expect(!text.contains("alert("), "\(name): errors are shown inline, never as alerts")
            #expect(!text.contains("console."), "\(name): nothing is logged")
        }
        #expect(fetches == 1, "one request: the certificate")
        #expect(UIAssets.sources["app.js"]?.contains("fetch('../v1/cert.pem'") == true)
    }

    @Test("content types") func contentTypes() {
        #expect(UIAssets.files["index.html"]?.contentType == "text/html; charset=utf-8")
        #expect(UIAssets.files["app.js"]?.contentType == "text/javascript; charset=utf-8")
        #expect(UIAssets.files["style.css"]?.contentType == "text/css; charset=utf-8")
        #expect(UIAssets.files["icon.svg"]?.contentType == "image/svg+xml")
    }
}
