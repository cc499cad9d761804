import Foundation
import XCTest
@testable import Reprise
import RepriseSamples

/// A session on the UIAutomation tree of UICatalog (375x667 pt, four windows of which two are
/// not visible, the status bar's window above the app's), through `Reprise.start` and the real
/// collector.
final class AutomationSessionTests: XCTestCase {
    private var collector: Collector!
    override func setUpWithError() throws { collector = try Collector() }
    override func tearDown() { collector?.stop(); collector = nil }

    func testTheStatusBarWindowIsAboveAndTheHiddenWindowsAndCellsAreLeftOut() async throws {
        let automation = try IOSFixtures.automation()
        let clock = FakeClock()
        let screen = FakeScreen([FakeScene(automation.windows)], size: CaptureSize(width: 375, height: 667), scale: 2)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = RepriseConfiguration(endpoint: collector.endpoint, apiKey: collector.apiKey)
        config.maskMode = .allow
        config.upload?.initialBackoffMs = 100
        let reprise = try Reprise.start(config, environment: FakeEnvironment(screen: screen, clock: clock, dataDirectory: dir))
        let recorder = try XCTUnwrap(reprise.screenRecorder)
        func idle(_ seconds: Double) {
            for _ in 0..<Int(seconds / 0.016) { clock.advance(0.016); recorder.frameTick(at: clock.uptimeSeconds) }
        }
        idle(0.3)
        // A tap on the "Controls" cell (y 127-179 pt).
        for event in FakeGestures.tap(at: CapturePoint(x: 200, y: 150), time: clock.uptimeSeconds + 0.01) {
            clock.uptimeSeconds = max(clock.uptimeSeconds, event.time)
            recorder.touchEvent(event)
            clock.advance(0.001)
            recorder.frameTick(at: clock.uptimeSeconds)
        }
        idle(0.5)
        recorder.notification(AppLifecycle.didEnterBackground)
        let left = try await reprise.flushAndUpload(timeout: 20)
        XCTAssertEqual(left, 0)
        let session = reprise.sessionId
        try reprise.close()

        let (records, everything) = try collector.records(session: session)
        func payload(_ r: [String: Any]) -> Any? { (r["record"] as? [String: Any])?[r["kind"] as? String ?? ""] }
        var classes: [Int: String] = [:]
        for r in records where (r["kind"] as? String) == "Classes" {
            for c in payload(r) as? [[String: Any]] ?? [] { classes[c["id"] as? Int ?? -1] = c["name"] as? String }
        }
        let keyframe = try XCTUnwrap(records.first { ($0["kind"] as? String) == "Keyframe" }.flatMap { (payload($0) as? [String: Any])?["nodes"] as? [[String: Any]] })
        func cls(_ n: [String: Any]) -> String { classes[n["class"] as? Int ?? -1] ?? "?" }
        let rootId = keyframe[0]["id"] as? Int
        let windows = keyframe.filter { ($0["parent"] as? Int) == rootId && ($0["id"] as? Int) != rootId }
        XCTAssertEqual(windows.count, 2, "the two visible windows of four")
        let statusBarWindow = try XCTUnwrap(windows.last)
        XCTAssertTrue(keyframe.contains { ($0["parent"] as? Int) == (statusBarWindow["id"] as? Int) && cls($0) == "UIStatusBar" },
                      "the status bar's window is drawn last, above the app")
        XCTAssertTrue(everything.contains("Various uses of UIButton"))
        XCTAssertFalse(everything.contains("Use of WKWebView"), "cells UIAutomation saw as not visible are left out")

        let tap = try XCTUnwrap(records.first { ($0["kind"] as? String) == "Gesture" }.flatMap { payload($0) as? [String: Any] })
        XCTAssertEqual(tap["kind"] as? String, "Tap")
        let target = try XCTUnwrap(tap["target"] as? [String: Any])
        let node = try XCTUnwrap(keyframe.first { ($0["id"] as? Int) == (target["id"] as? Int) })
        XCTAssertEqual(cls(node), "UITableViewCell", "the Controls cell")
        XCTAssertEqual(target["interactive"] as? Bool, true)
        let meta = try XCTUnwrap((records.first { ($0["kind"] as? String) == "Session" }.flatMap { payload($0) as? [String: Any] })?["metadata"] as? [String: Any])
        XCTAssertEqual(meta["screen_width_px"] as? Int, 750)
        XCTAssertEqual(meta["screen_height_px"] as? Int, 1334)
    }
}
