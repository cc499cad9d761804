import XCTest
@testable import Reprise
import RepriseSamples

/// `view.reprisePrivacy` and the SwiftUI markers, as the nodes' overrides.
final class PrivacyTests: XCTestCase {
    private let screen = ScreenGeometry(size: CaptureSize(width: 320, height: 568), scale: 2)

    func testPrivacyChoicesBecomeNodeOverridesAndHideDropsTheSubtree() throws {
        let catalog = try IOSFixtures.catalog()
        let cells = catalog.table.subviews.filter { $0 is FakeCell }
        XCTAssertEqual(cells.count, 12)
        cells[0].reprisePrivacy = .mask
        cells[1].reprisePrivacy = .unmask
        cells[10].reprisePrivacy = .hide
        defer { cells.forEach { $0.reprisePrivacy = .inherit } }
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture([catalog.window], screen: screen)
        func node(_ v: FakeView) -> ViewNode? { tree.nodes.first { $0.identity == v.captureIdentity } }
        XCTAssertEqual(node(cells[0])?.privacy, .mask)
        XCTAssertEqual(node(cells[1])?.privacy, .unmask)
        XCTAssertEqual(node(cells[2])?.privacy, .inherit)
        let hidden = try XCTUnwrap(node(cells[10]))
        XCTAssertEqual(hidden.privacy, .hide)
        XCTAssertNil(hidden.text)
        let below = cells[10].allViews.dropFirst()
        XCTAssertEqual(below.count, 5)
        XCTAssertTrue(below.allSatisfy { node($0) == nil }, "nothing below a hidden view is captured")
        XCTAssertFalse(tree.nodes.contains { $0.text == "Various uses of UIAlertView, UIActionSheet" })
    }

    func testTheStoreForgetsViewsThatAreGone() {
        let store = PrivacyStore()
        var view: FakeView? = FakeView(frame: .zero)
        store.setPrivacy(.hide, of: view!)
        XCTAssertEqual(store.privacy(of: view!), .hide)
        weak var gone = view
        view = nil
        XCTAssertNil(gone)
        let next = FakeView(frame: .zero)
        XCTAssertEqual(store.privacy(of: next), .inherit, "a new view never inherits a dead one's choice")
        store.setPrivacy(.mask, of: next)
        store.setPrivacy(.inherit, of: next)
        XCTAssertEqual(store.privacy(of: next), .inherit)
    }

    func testSwiftUIMarkersApplyToTheElementsInsideThem() throws {
        let window = FakeWindow(frame: CaptureRect(x: 0, y: 0, width: 320, height: 568))
        let hosting = FakeHostingView("_TtGC7SwiftUI14_UIHostingViewV3App8CardForm_", frame: window.frame)
        hosting.accessibilityNodes = [
            AccessibilityNode(frame: CaptureRect(x: 16, y: 100, width: 288, height: 20), role: .staticText, label: "Card number"),
            AccessibilityNode(frame: CaptureRect(x: 16, y: 130, width: 288, height: 20), role: .staticText, label: "4111 1111 1111 1111"),
            AccessibilityNode(frame: CaptureRect(x: 16, y: 300, width: 288, height: 20), role: .staticText, label: "Jane Doe"),
        ]
        let wrapper = FakeView("_UIHostingViewPlatformHost", frame: CaptureRect(x: 0, y: 125, width: 320, height: 30))
        wrapper.addSubview(FakePrivacyMarker(frame: CaptureRect(x: 0, y: 125, width: 320, height: 30), privacy: .hide))
        hosting.addSubview(wrapper)
        hosting.addSubview(FakePrivacyMarker(frame: CaptureRect(x: 0, y: 290, width: 320, height: 40), privacy: .mask))
        window.addSubview(hosting)
        let tree = ViewWalker(registry: ViewReaderRegistry()).capture([window], screen: screen)
        let elements = tree.nodes.filter { tree.classes[Int($0.classIndex)] == "SwiftUI.staticText" }
        XCTAssertEqual(elements.map(\.privacy), [.inherit, .hide, .mask])
        XCTAssertNil(elements[1].text)
        XCTAssertFalse(tree.classes.contains("RepriseSwiftUIPrivacyMarker"), "markers are not drawn")
    }
}
