import Foundation
import XCTest
import Reprise
import RepriseSamples

/// Fake UIKit screens built from the real iOS dumps in tests/data/ios-canvas-highlighter
/// (tests/data/SOURCES.md): Apple's UICatalog as a flat dump of 86 UIViews at 320x568 pt, and as
/// a UIAutomation tree of 4 windows at 375x667 pt. Both at scale 2, like the recorded iPhones.
enum IOSFixtures {
    static let scale = 2.0

    static var dir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../tests/data/ios-canvas-highlighter").standardized
    }

    /// The JSON literal inside `var X = ...;`.
    static func json(_ file: String) throws -> Any {
        let source = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        let start = try XCTUnwrap(source.firstIndex { $0 == "[" || $0 == "{" })
        let end = try XCTUnwrap(source.lastIndex { $0 == "]" || $0 == "}" })
        return try JSONSerialization.jsonObject(with: Data(source[start...end].utf8))
    }

    /// A UICatalog screen: the window with its 84 views, parents inferred by containment as
    /// tests/src/ios.rs does (the smallest earlier view that contains a view; else the one it
    /// overlaps most; else the window). The dump's UITextEffectsWindow is the keyboard window.
    struct Catalog {
        let window: FakeWindow
        let keyboardWindow: FakeWindow
        let table: FakeScrollView
        let views: [FakeView]
        let texts: [String]
    }

    static func catalog() throws -> Catalog {
        let items = try XCTUnwrap(json("example.js") as? [[String: Any]])
        var frames: [CaptureRect] = []
        var views: [FakeView] = []
        var texts: [String] = []
        var window: FakeWindow?, keyboard: FakeWindow?, table: FakeScrollView?
        for item in items {
            let b = try XCTUnwrap(item["boundsInScreen"] as? [String: Double])
            let frame = CaptureRect(x: b["left"]!, y: b["top"]!, width: b["right"]! - b["left"]!, height: b["bottom"]! - b["top"]!)
            let cls = try XCTUnwrap(item["nativeClass"] as? String)
            let text = item["text"] as? String
            let label = item["accessibilityId"] as? String
            texts += [text, label].compactMap { $0 }
            let view: FakeView
            switch cls {
            case "UIWindow": let w = FakeWindow(cls, frame: frame, controller: "UICatalog.MainViewController"); window = w; view = w
            case "UITextEffectsWindow": let w = FakeWindow(cls, frame: frame, level: 10_000_000); keyboard = w; view = w
            case "UITableView": let t = FakeScrollView(cls, frame: frame); table = t; view = t
            case "MyTableViewCell": view = FakeCell(cls, frame: frame)
            case "UILabel", "UITableViewLabel": view = FakeLabel(cls, frame: frame, text: text)
            case "UIButton": view = FakeButton(cls, frame: frame, title: text)
            case "UIImageView": view = FakeImageView(frame: frame)
            default: view = FakeView(cls, frame: frame)
            }
            if cls != "MyTableViewCell" { view.accessibilityLabel = label }  // a cell's text is its labels'
            view.accessibilityIdentifier = label
            frames.append(frame)
            views.append(view)
        }
        let w = try XCTUnwrap(window), k = try XCTUnwrap(keyboard), t = try XCTUnwrap(table)
        // Everything but the two windows goes into the main window's tree.
        let contentIndices = views.indices.filter { views[$0] !== w && views[$0] !== k }
        let parents = inferParents(contentIndices.map { frames[$0] })
        for (position, i) in contentIndices.enumerated() {
            let parent = parents[position].map { views[contentIndices[$0]] } ?? w
            parent.addSubview(views[i])
        }
        return Catalog(window: w, keyboardWindow: k, table: t, views: views, texts: texts)
    }

    /// tests/src/ios.rs's containment rule (nil: the window).
    static func inferParents(_ frames: [CaptureRect]) -> [Int?] {
        func area(_ r: CaptureRect) -> Double { max(0, r.size.width) * max(0, r.size.height) }
        func overlap(_ a: CaptureRect, _ b: CaptureRect) -> Double {
            max(0, min(a.maxX, b.maxX) - max(a.minX, b.minX)) * max(0, min(a.maxY, b.maxY) - max(a.minY, b.minY))
        }
        return frames.indices.map { i -> Int? in
            if i == 0 { return nil }
            var best: (Int, Double)?
            for j in 0..<i where frames[j].contains(frames[i]) && (best == nil || area(frames[j]) <= best!.1) { best = (j, area(frames[j])) }
            if best == nil {
                var most: (Int, Double, Double)?
                for j in 0..<i {
                    let (ov, ar) = (overlap(frames[j], frames[i]), area(frames[j]))
                    if ov > 0 && (most == nil || ov > most!.1 || (ov == most!.1 && ar <= most!.2)) { most = (j, ov, ar) }
                }
                best = most.map { ($0.0, $0.1) }
            }
            return best?.0 ?? 0
        }
    }

    /// The UIAutomation tree: its four windows (level by position: the status bar's last) with
    /// their elements as fake views, and every text it holds.
    struct Automation {
        let windows: [FakeWindow]
        let texts: [String]
        let table: FakeScrollView
    }

    static func automation() throws -> Automation {
        let target = try XCTUnwrap(json("UIAExample.js") as? [String: Any])
        let app = try XCTUnwrap((target["children"] as? [[String: Any]])?.first)
        var texts: [String] = []
        var table: FakeScrollView?
        func rect(_ el: [String: Any]) -> CaptureRect {
            let r = el["rect"] as? [String: [String: Double]] ?? [:]
            return CaptureRect(x: r["origin"]?["x"] ?? 0, y: r["origin"]?["y"] ?? 0,
                               width: r["size"]?["width"] ?? 0, height: r["size"]?["height"] ?? 0)
        }
        func make(_ el: [String: Any]) -> FakeView {
            let type = el["type"] as? String ?? "UIAElement"
            let name = el["name"] as? String, label = el["label"] as? String, value = el["value"] as? String
            texts += [name, label, value].compactMap { $0 }.filter { !$0.isEmpty }
            let frame = rect(el)
            let view: FakeView
            switch type {
            case "UIAStaticText": view = FakeLabel(frame: frame, text: value ?? label)
            case "UIAButton": view = FakeButton(frame: frame, title: label)
            case "UIAImage": view = FakeImageView(frame: frame)
            case "UIATableView": let t = FakeScrollView("UITableView", frame: frame); table = t; view = t
            case "UIATableCell": view = FakeCell("UITableViewCell", frame: frame)
            case "UIATextField": view = FakeTextField(frame: frame, text: value)
            case "UIASecureTextField": view = FakeTextField(frame: frame, text: value, secure: true)
            case "UIANavigationBar": view = FakeView("UINavigationBar", frame: frame)
            case "UIAStatusBar": view = FakeView("UIStatusBar", frame: frame)
            default: view = FakeView(type, frame: frame)
            }
            view.accessibilityLabel = label ?? name
            view.accessibilityIdentifier = name
            view.isHidden = (el["visible"] as? Bool) == false  // off screen or covered, as UIAutomation saw it
            for child in el["children"] as? [[String: Any]] ?? [] { view.addSubview(make(child)) }
            return view
        }
        let windowEls = try XCTUnwrap(app["children"] as? [[String: Any]])
        let windows: [FakeWindow] = windowEls.enumerated().map { i, el in
            let w = FakeWindow(frame: rect(el), level: i == windowEls.count - 1 ? 1000 : 0,
                               controller: i == 1 ? "UICatalog.MainViewController" : nil)
            w.isHidden = (el["visible"] as? Bool) == false
            for child in el["children"] as? [[String: Any]] ?? [] { w.addSubview(make(child)) }
            return w
        }
        return Automation(windows: windows, texts: texts, table: try XCTUnwrap(table))
    }
}
