import Foundation
import XCTest
@testable import Reprise
import RepriseSamples

/// The walker and the reader registry over fake UIKit built from the real UICatalog dumps.
final class ViewWalkerTests: XCTestCase {
    private let screen = ScreenGeometry(size: CaptureSize(width: 320, height: 568), scale: 2)

    private func className(_ tree: ViewTree, _ node: ViewNode) -> String { tree.classes[Int(node.classIndex)] }

    func testTheCatalogScreenBecomesOneTreeWithAClassTable() throws {
        let catalog = try IOSFixtures.catalog()
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture([catalog.window, catalog.keyboardWindow], screen: screen)
        // The screen root, the window and its 84 views; the keyboard window is left out while hidden.
        XCTAssertEqual(tree.nodes.count, 86)
        XCTAssertEqual(className(tree, tree.nodes[0]), "UIScreen")
        XCTAssertEqual(tree.nodes[0].bounds, PxRect(left: 0, top: 0, width: 640, height: 1136))
        XCTAssertEqual(Set(tree.classes).count, tree.classes.count, "each class once")
        XCTAssertEqual(Set(tree.classes), Set(catalog.views.map(\.className)).subtracting(["UITextEffectsWindow"]).union(["UIScreen"]))
        for (i, node) in tree.nodes.enumerated().dropFirst() {
            XCTAssertLessThan(Int(try XCTUnwrap(node.parent)), i, "parents first")
        }
        let labels = tree.nodes.filter { className(tree, $0) == "UITableViewLabel" }
        XCTAssertEqual(labels.count, 23)
        XCTAssertTrue(labels.allSatisfy { $0.kind == .text && $0.text != nil && $0.fontSize == 34 })
        let first = try XCTUnwrap(labels.first)
        XCTAssertEqual(first.text, "Buttons")
        XCTAssertEqual(first.bounds, PxRect(left: 32, top: 138, width: 120, height: 40), "points times the scale")
        let table = try XCTUnwrap(tree.nodes.first { className(tree, $0) == "UITableView" })
        XCTAssertEqual(table.kind, .scroll)
        XCTAssertTrue(table.flags.scrollable)
        let cells = tree.nodes.filter { className(tree, $0) == "MyTableViewCell" }
        XCTAssertEqual(cells.count, 12)
        XCTAssertTrue(cells.allSatisfy { $0.kind == .container && $0.flags.clickable })
        XCTAssertEqual(tree.nodes.filter { $0.kind == .button }.count, 12)
        XCTAssertEqual(tree.nodes.filter { $0.kind == .image }.count, 3)
        // Every view's node sits under the node of its superview.
        let byIdentity = Dictionary(uniqueKeysWithValues: tree.nodes.enumerated().map { ($0.element.identity, $0.offset) })
        for view in catalog.views where view.superview != nil {
            let node = tree.nodes[try XCTUnwrap(byIdentity[view.captureIdentity])]
            XCTAssertEqual(tree.nodes[Int(try XCTUnwrap(node.parent))].identity, view.superview!.captureIdentity)
        }
    }

    func testTheKeyboardWindowIsAPlaceholderOfTheKeyboardsFrame() throws {
        let catalog = try IOSFixtures.catalog()
        var geometry = screen
        geometry.keyboardFrame = CaptureRect(x: 0, y: 352, width: 320, height: 216)
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture([catalog.window, catalog.keyboardWindow], screen: geometry)
        let keyboard = try XCTUnwrap(tree.nodes.last)
        XCTAssertEqual(className(tree, keyboard), "UITextEffectsWindow")
        XCTAssertEqual(keyboard.privacy, .hide)
        XCTAssertEqual(keyboard.parent, 0)
        XCTAssertEqual(keyboard.bounds, PxRect(left: 0, top: 704, width: 640, height: 432))
    }

    func testWindowsAreDrawnInZOrderAndHiddenOnesLeftOut() throws {
        let automation = try IOSFixtures.automation()
        let alert = FakeWindow("UITransitionView", frame: CaptureRect(x: 0, y: 0, width: 375, height: 667), level: 2000)
        let scene = FakeScene([alert] + automation.windows)
        let background = FakeScene([FakeWindow(frame: .zero)], foreground: false)
        let windows = ViewWalker.windows(of: [scene, background])
        // Two of the four UIAutomation windows are not visible.
        XCTAssertEqual(windows.map { $0.level }, [0, 1000, 2000])
        XCTAssertTrue(windows.last === alert)
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture(windows, screen: ScreenGeometry(size: CaptureSize(width: 375, height: 667), scale: 2))
        let windowNodes = tree.nodes.enumerated().filter { $0.element.parent == 0 }.map(\.offset)
        XCTAssertEqual(windowNodes.count, 3)
        XCTAssertEqual(tree.nodes[windowNodes[2]].identity, alert.captureIdentity, "the alert window last: drawn above")
        let texts = tree.nodes.compactMap(\.text)
        XCTAssertTrue(texts.contains("Various uses of UIButton"))
        XCTAssertFalse(texts.contains("Use of WKWebView"), "invisible cells are left out")
    }

    func testReadersOfEveryWidgetKind() throws {
        let root = FakeWindow(frame: CaptureRect(x: 0, y: 0, width: 320, height: 568))
        root.originInScreen = CapturePoint(x: 10, y: 20)
        let field = FakeTextField(frame: CaptureRect(x: 0, y: 0, width: 100, height: 30), text: "s3cret-pass", secure: true)
        let empty = FakeTextField(frame: CaptureRect(x: 0, y: 30, width: 100, height: 30), text: "")
        empty.placeholder = "Email"
        let textView = FakeTextView(frame: CaptureRect(x: 0, y: 60, width: 100, height: 90), text: "notes")
        textView.scrollOffset = CapturePoint(x: 0, y: 12)
        let toggle = FakeSwitch(frame: CaptureRect(x: 0, y: 150, width: 51, height: 31))
        toggle.isOn = true
        toggle.accessibilityIdentifier = "notifications.switch"
        let bar = FakeProgressView(frame: CaptureRect(x: 60, y: 150, width: 100, height: 4), fraction: 0.75)
        let segments = FakeSegmentedControl(frame: CaptureRect(x: 0, y: 190, width: 200, height: 30), titles: ["Day", "Week", nil])
        let web = FakeWebView("WKWebView", frame: CaptureRect(x: 0, y: 230, width: 320, height: 100))
        web.addSubview(FakeLabel(frame: CaptureRect(x: 0, y: 230, width: 50, height: 20), text: "inside the web view"))
        let map = FakeMapView("MKMapView", frame: CaptureRect(x: 0, y: 330, width: 320, height: 100))
        let styled = FakeView("MyCardView", frame: CaptureRect(x: 0, y: 430, width: 320, height: 100))
        styled.backgroundARGB = 0xff11_2233; styled.cornerRadius = 8; styled.opacity = 0.5; styled.clipsToBounds = true
        for v in [field, empty, textView, toggle, bar, segments, web, map, styled] { root.addSubview(v) }
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture([root], screen: screen)
        func node(_ v: FakeView) throws -> ViewNode { try XCTUnwrap(tree.nodes.first { $0.identity == v.captureIdentity }) }

        XCTAssertEqual(try node(field).kind, .input)
        XCTAssertTrue(try node(field).flags.password)
        XCTAssertEqual(try node(field).bounds, PxRect(left: 20, top: 40, width: 200, height: 60), "window origin added")
        XCTAssertEqual(try node(empty).text, "Email", "the placeholder when empty")
        XCTAssertEqual(try node(textView).scrollY, 24)
        XCTAssertEqual(try node(textView).kind, .input)
        XCTAssertEqual(try node(toggle).kind, .button)
        XCTAssertTrue(try node(toggle).flags.clickable)
        XCTAssertEqual(try node(toggle).checked, true)
        XCTAssertEqual(try node(toggle).idName, "notifications.switch", "the accessibility identifier is the id name")
        XCTAssertEqual(try node(bar).progress, 0.75)
        XCTAssertNil(try node(field).idName)
        XCTAssertEqual(try node(segments).text, "Day | Week | ")
        XCTAssertEqual(try node(web).kind, .webView)
        XCTAssertEqual(try node(web).privacy, .hide)
        XCTAssertFalse(tree.nodes.contains { $0.text == "inside the web view" }, "nothing inside a web view")
        XCTAssertEqual(try node(map).privacy, .mask)
        let card = try node(styled)
        XCTAssertEqual(card.backgroundColor, 0xff11_2233)
        XCTAssertEqual(card.cornerRadius, 16)
        XCTAssertEqual(card.alpha, 0.5)
        XCTAssertTrue(card.flags.clipsChildren)
        XCTAssertEqual(card.kind, .container)
        XCTAssertNil(card.text, "an unknown view's drawing is never read")
    }

    func testAppsRegisterReadersForTheirOwnClasses() throws {
        final class ChartView: FakeView {}
        let registry = ViewReaderRegistry()
        let root = FakeWindow(frame: CaptureRect(x: 0, y: 0, width: 320, height: 568))
        let chart = ChartView("ChartView", frame: CaptureRect(x: 0, y: 0, width: 320, height: 200))
        let label = FakeLabel(frame: CaptureRect(x: 0, y: 200, width: 320, height: 20), text: "Revenue")
        root.addSubview(chart); root.addSubview(label)
        XCTAssertEqual(registry.readerName(for: chart), "view")
        XCTAssertEqual(registry.readerName(for: label), "label")
        registry.register(ChartView.self) { _, content in content.kind = .image; content.walksChildren = false }
        registry.register(LabelLike.self) { label, content in content.kind = .text; content.text = label.text.map { "[\($0)]" } }
        XCTAssertEqual(registry.readerName(for: chart), "ChartView")
        let tree = ViewWalker(registry: registry).capture([root], screen: screen)
        XCTAssertEqual(tree.nodes.first { $0.identity == chart.captureIdentity }?.kind, .image)
        XCTAssertEqual(tree.nodes.first { $0.identity == label.captureIdentity }?.text, "[Revenue]")
    }

    func testSwiftUIElementsBecomeNodesAndUnknownOnesAreMasked() throws {
        let root = FakeWindow(frame: CaptureRect(x: 0, y: 0, width: 320, height: 568))
        let hosting = FakeHostingView("_TtGC7SwiftUI14_UIHostingViewV6MyApp8RootView_", frame: root.frame)
        hosting.accessibilityNodes = [
            AccessibilityNode(frame: CaptureRect(x: 16, y: 60, width: 200, height: 30), role: .header, label: "Settings"),
            AccessibilityNode(frame: CaptureRect(x: 16, y: 100, width: 288, height: 44), role: .button, label: "Sign out"),
            AccessibilityNode(frame: CaptureRect(x: 16, y: 150, width: 288, height: 44), role: .secureTextField, label: "Password", value: "pw-123456"),
            AccessibilityNode(frame: CaptureRect(x: 16, y: 200, width: 288, height: 44), role: .other, label: "Canvas"),
            AccessibilityNode(frame: CaptureRect(x: 16, y: 250, width: 288, height: 44), role: .staticText, label: "4111 1111", identifier: "card"),
        ]
        root.addSubview(hosting)
        let registry = ViewReaderRegistry()
        registry.setPrivacy(.hide, forAccessibilityIdentifier: "card")
        let tree = ViewWalker(registry: registry).capture([root], screen: screen)
        let elements = Array(tree.nodes.suffix(5))
        XCTAssertEqual(elements.map(\.kind), [.text, .button, .input, .other, .text])
        XCTAssertTrue(elements.allSatisfy { tree.nodes[Int($0.parent!)].identity == hosting.captureIdentity })
        XCTAssertTrue(elements[1].flags.clickable)
        XCTAssertTrue(elements[2].flags.password)
        XCTAssertEqual(elements[3].privacy, .mask, "unknown content is masked")
        XCTAssertEqual(elements[4].privacy, .hide)
        XCTAssertNil(elements[4].text)
        XCTAssertEqual(Set(tree.nodes.map(\.identity)).count, tree.nodes.count, "distinct identities")
    }

    func testDeepTreesAreWalkedWithoutRecursionAndCapped() throws {
        let root = FakeWindow(frame: CaptureRect(x: 0, y: 0, width: 320, height: 568))
        var parent: FakeView = root
        for _ in 0..<6_000 {
            let child = FakeView(frame: CaptureRect(x: 0, y: 0, width: 10, height: 10))
            parent.addSubview(child); parent = child
        }
        let tree = ViewWalker(registry: ViewReaderRegistry(), maxNodes: 5_000).capture([root], screen: screen)
        XCTAssertEqual(tree.nodes.count, 5_000)
    }

    func testOneCaptureIsOneFfiCallTheCoreAccepts() throws {
        let catalog = try IOSFixtures.catalog()
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture([catalog.window], screen: screen)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reprise = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata())
        try reprise.snapshot(tree)
        _ = try reprise.flushBlocking()
        XCTAssertEqual(reprise.stats.snapshots, 1)
        XCTAssertEqual(reprise.stats.droppedInvalidSnapshots, 0)
        try reprise.close()
    }
}
