import Foundation
import XCTest
@testable import Reprise

/// A real Android screen from tests/data/rico, as the FFI tree, with the texts it contains.
struct Screen {
    let name: String
    let tree: ViewTree
    var texts: [String] { tree.nodes.flatMap { [$0.text, $0.contentDescription].compactMap { $0 } } }
}

/// Test data: RICO screens (parsed like tests/src/rico.rs and the Kotlin tests do) and raw touches.
enum Fixtures {
    static var dir: URL {
        if let d = ProcessInfo.processInfo.environment["REPRISE_FIXTURES"] { return URL(fileURLWithPath: d) }
        // ios/Tests/RepriseTests/Fixtures.swift -> tests/data/rico
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../tests/data/rico").standardized
    }

    static func screen(_ url: URL) throws -> Screen {
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let activity = try XCTUnwrap(doc["activity"] as? [String: Any])
        let root = try XCTUnwrap(activity["root"] as? [String: Any])
        var classes: [String] = []
        var nodes: [ViewNode] = []
        visit(root, parent: nil, pathHash: 1469598103934665603, classes: &classes, nodes: &nodes)
        return Screen(name: doc["activity_name"] as? String ?? url.lastPathComponent, tree: ViewTree(classes: classes, nodes: nodes))
    }

    /// The `count` screens with the most text, for masking checks.
    static func screens(_ count: Int) throws -> [Screen] {
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let screens = try files.map(screen)
        func score(_ s: Screen) -> Int { s.texts.filter { $0.count >= 4 }.count }
        return Array(screens.enumerated().sorted { (a, b) in
            score(a.element) != score(b.element) ? score(a.element) > score(b.element) : a.offset < b.offset
        }.map(\.element).prefix(count))
    }

    private static func bool(_ node: [String: Any], _ key: String, _ fallback: Bool) -> Bool {
        (node[key] as? Bool) ?? fallback
    }

    private static func fnv(_ s: String) -> UInt64 {
        s.utf8.reduce(UInt64(14695981039346656037)) { ($0 ^ UInt64($1)) &* 1099511628211 }
    }

    private static func visit(_ node: [String: Any], parent: UInt32?, pathHash: UInt64, classes: inout [String], nodes: inout [ViewNode]) {
        let cls = node["class"] as? String ?? "android.view.View"
        let ancestors = (node["ancestors"] as? [Any])?.compactMap { $0 as? String } ?? []
        let raw: [Any] = node["bounds"] as? [Any] ?? []
        var b: [Float] = raw.map { (($0 as? NSNumber)?.floatValue) ?? 0 }
        b += [0, 0, 0, 0]
        var classIndex = classes.firstIndex(of: cls) ?? -1
        if classIndex < 0 { classes.append(cls); classIndex = classes.count - 1 }
        let visible = (node["visibility"] as? String ?? "visible") == "visible" && bool(node, "visible-to-user", true)
        var desc: String?
        if let d = node["content-desc"] as? String {
            desc = d
        } else if let d = node["content-desc"] as? [Any] {
            let parts = d.compactMap { $0 as? String }
            desc = parts.isEmpty ? nil : parts.joined(separator: " ")
        }
        let index = UInt32(nodes.count)
        nodes.append(ViewNode(
            identity: pathHash ^ (fnv(cls) &* 1099511628211),
            parent: parent,
            kind: kindOf(cls, ancestors),
            classIndex: UInt32(classIndex),
            bounds: PxRect(left: b[0], top: b[1], width: b[2] - b[0], height: b[3] - b[1]),
            flags: NodeFlags(
                clickable: bool(node, "clickable", false),
                scrollable: bool(node, "scrollable-vertical", false) || bool(node, "scrollable-horizontal", false),
                focusable: bool(node, "focusable", false),
                enabled: bool(node, "enabled", true),
                visible: visible,
                clipsChildren: false,
                password: bool(node, "password", false)
            ),
            alpha: 1,
            backgroundColor: nil,
            textColor: nil,
            cornerRadius: 0,
            fontSize: 0,
            text: node["text"] as? String,
            contentDescription: desc,
            scrollX: 0,
            scrollY: 0,
            privacy: .inherit
        ))
        guard let children = node["children"] as? [Any] else { return }
        for (i, c) in children.enumerated() {
            guard let child = c as? [String: Any] else { continue }
            if (child["visibility"] as? String) == "gone" { continue }
            visit(child, parent: index, pathHash: (pathHash ^ UInt64(i)) &* 1099511628211, classes: &classes, nodes: &nodes)
        }
    }

    private static func kindOf(_ cls: String, _ ancestors: [String]) -> NodeKind {
        ([cls] + ancestors).lazy.compactMap(kindOfName).first ?? .other
    }

    private static func kindOfName(_ name: String) -> NodeKind? {
        let s = String(name.split(separator: ".").last ?? "").split(separator: "$").last.map(String.init) ?? ""
        switch s {
        case "EditText", "AutoCompleteTextView", "MultiAutoCompleteTextView", "ExtractEditText", "SearchView": return .input
        case "Button", "ImageButton", "CompoundButton", "CheckBox", "RadioButton", "Switch", "ToggleButton",
             "CheckedTextView", "Spinner", "FloatingActionButton": return .button
        case "TextView": return .text
        case "ImageView": return .image
        case "RecyclerView", "ListView", "GridView", "AbsListView", "ScrollView", "HorizontalScrollView",
             "NestedScrollView", "ViewPager": return .scroll
        case "WebView": return .webView
        case "ViewGroup": return .container
        default: return s.hasSuffix("Layout") ? .container : nil
        }
    }


    static func metadata() -> SessionMetadata {
        SessionMetadata(
            platform: .ios, osName: "iOS", osVersion: "17.4", deviceManufacturer: "Apple",
            deviceModel: "iPhone 15 (Swift test)", screenWidthPx: 1179, screenHeightPx: 2556, density: 3,
            orientation: .portrait, locale: "en-GB", timeZone: "Europe/London", appId: "dev.reprise.demo.ios",
            appVersion: "2.3.4", appBuild: "77", sdkVersion: "0.1.0", network: .wifi
        )
    }

    static func sample(_ pointer: UInt32, _ action: TouchAction, _ x: Float, _ y: Float, _ tUs: Int64) -> TouchSample {
        TouchSample(pointerId: pointer, action: action, x: x, y: y, timeUs: tUs, pressure: 1, size: nil)
    }

    /// Frames of 16 ms; each inner array is what one frame hands over.
    static func tap(_ tMs: Int64, _ x: Float, _ y: Float) -> [[TouchSample]] {
        [[sample(0, .down, x, y, tMs * 1000)], [sample(0, .up, x + 1, y, tMs * 1000 + 90_000)]]
    }

    static func scroll(_ tMs: Int64, _ x: Float, _ y: Float, dy: Float, frames: Int = 20) -> [[TouchSample]] {
        let t = tMs * 1000
        var out = [[sample(0, .down, x, y, t)]]
        for i in 1...frames {
            let p = Float(i) / Float(frames)
            let eased = 1 - (1 - p) * (1 - p)
            out.append([sample(0, .move, x + 3 * p, y + dy * eased, t + Int64(i) * 16_000)])
        }
        out.append([sample(0, .up, x + 3, y + dy, t + Int64(frames + 1) * 16_000)])
        return out
    }

    static func pinch(_ tMs: Int64, _ cx: Float, _ cy: Float, from: Float, to: Float, frames: Int = 25) -> [[TouchSample]] {
        let t = tMs * 1000
        var out = [[sample(0, .down, cx - from / 2, cy, t)], [sample(1, .pointerDown, cx + from / 2, cy, t + 30_000)]]
        var last = from
        for i in 1...frames {
            let span = from + (to - from) * Float(i) / Float(frames)
            let tf = t + 30_000 + Int64(i) * 16_000
            out.append([sample(0, .move, cx - span / 2, cy, tf), sample(1, .move, cx + span / 2, cy, tf + 500)])
            last = span
        }
        let end = t + 30_000 + Int64(frames + 1) * 16_000
        out.append([sample(1, .pointerUp, cx + last / 2, cy, end)])
        out.append([sample(0, .up, cx - last / 2, cy, end + 10_000)])
        return out
    }

    static func tempDir(_ name: String = "reprise-swift") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
