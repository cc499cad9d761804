import Foundation
import XCTest
@testable import Reprise
import RepriseSamples

/// The whole platform layer on fakes made from the real UICatalog dump: `Reprise.start`, the
/// recorder's display-link ticks on a fake clock, touch events (a tap, a scroll, a pinch), an
/// alert with a secure text field above the screen, the keyboard, a view marked `.hide`, a
/// rotation and the lifecycle; uploaded to the real collector and read back.
final class PlatformSessionTests: XCTestCase {
    private var collector: Collector!
    override func setUpWithError() throws { collector = try Collector() }
    override func tearDown() { collector?.stop(); collector = nil }

    private func kind(_ r: [String: Any]) -> String { r["kind"] as? String ?? "" }
    private func body(_ r: [String: Any]) -> [String: Any]? { (r["record"] as? [String: Any])?[kind(r)] as? [String: Any] }

    static let secret = "hunter2-Secret!"

    /// The alert UIKit shows for a sign-in prompt: a dimming view and the alert with a title, a
    /// secure text field and two buttons, in a window at the alert level.
    static func alertWindow(size: CaptureSize) -> (window: FakeWindow, signIn: FakeButton) {
        let window = FakeWindow("UITransitionView", frame: CaptureRect(x: 0, y: 0, width: size.width, height: size.height),
                                level: 2000, controller: "UIAlertController")
        let dimming = FakeView("UIDimmingView", frame: window.frame)
        dimming.backgroundARGB = 0x6600_0000
        let box = FakeView("_UIAlertControllerView", frame: CaptureRect(x: 25, y: 180, width: 270, height: 170))
        box.backgroundARGB = 0xfff2_f2f2; box.cornerRadius = 13; box.clipsToBounds = true
        let title = FakeLabel(frame: CaptureRect(x: 41, y: 200, width: 238, height: 22), text: "Sign in to UICatalog")
        let field = FakeTextField(frame: CaptureRect(x: 41, y: 240, width: 238, height: 30), text: secret, secure: true)
        let cancel = FakeButton("_UIAlertControllerActionView", frame: CaptureRect(x: 25, y: 306, width: 135, height: 44), title: "Cancel")
        let signIn = FakeButton("_UIAlertControllerActionView", frame: CaptureRect(x: 160, y: 306, width: 135, height: 44), title: "Sign In")
        for v in [title, field, cancel, signIn] { box.addSubview(v) }
        window.addSubview(dimming); window.addSubview(box)
        return (window, signIn)
    }

    func testAFullSessionOfTheCatalogIsCapturedByTheLayerAndUploaded() async throws {
        let catalog = try IOSFixtures.catalog()
        let clock = FakeClock()
        let scene = FakeScene([catalog.window, catalog.keyboardWindow])
        let screen = FakeScreen([scene], size: CaptureSize(width: 320, height: 568), scale: 2)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let environment = FakeEnvironment(screen: screen, clock: clock, dataDirectory: dir)

        // Privacy: show what the rules allow, so that what must not be shown can be looked for.
        let cells = catalog.table.subviews.filter { $0 is FakeCell }
        let hiddenCell = cells[10]  // "Alerts": recorded as an empty box, nothing below it
        hiddenCell.reprisePrivacy = .hide
        let maskedLabel = try XCTUnwrap(cells[1].allViews.compactMap { $0 as? FakeLabel }.first { $0.text == "Various uses of UIControl" })
        maskedLabel.reprisePrivacy = .mask
        defer { hiddenCell.reprisePrivacy = .inherit; maskedLabel.reprisePrivacy = .inherit }
        let hiddenTexts = ["Various uses of UIAlertView, UIActionSheet"]

        var config = RepriseConfiguration(endpoint: collector.endpoint, apiKey: collector.apiKey)
        config.maskMode = .allow
        config.upload?.initialBackoffMs = 100
        let reprise = try Reprise.start(config, environment: environment)
        let session = reprise.sessionId
        let recorder = try XCTUnwrap(reprise.screenRecorder)
        XCTAssertTrue(environment.installed.first === recorder, "the hooks were installed once, for this recorder")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reprise/queue").path), "the default data directory")

        func idle(_ seconds: Double) {
            for _ in 0..<Int(seconds / 0.016) { clock.advance(0.016); recorder.frameTick(at: clock.uptimeSeconds) }
        }
        /// Each event in its own frame, as the sendEvent hook and the display link would see them.
        func play(_ events: [FakeTouchEvent], onFrame: (Int) -> Void = { _ in }) {
            for (i, event) in events.enumerated() {
                clock.uptimeSeconds = max(clock.uptimeSeconds, event.time)
                recorder.touchEvent(event)
                onFrame(i)
                clock.advance(0.001)
                recorder.frameTick(at: clock.uptimeSeconds)
            }
        }

        recorder.notification(AppLifecycle.willEnterForeground)
        recorder.pathChanged(NetworkPath(status: .satisfied, interfaces: [.wifi]))
        idle(0.5)
        // A tap on the "Buttons" cell.
        play(FakeGestures.tap(at: CapturePoint(x: 120, y: 90), time: clock.uptimeSeconds + 0.01))
        idle(1)
        // A scroll of the table: 200 points up, the cells moving with the finger.
        var scrolled = 0.0
        let drag = FakeGestures.drag(from: CapturePoint(x: 160, y: 450), dy: -200, time: clock.uptimeSeconds + 0.01)
        play(drag) { i in
            let target = 200 * min(1, Double(i) / Double(drag.count - 2))
            catalog.table.scroll(by: target - scrolled); scrolled = target
        }
        idle(1)
        // An alert with a secure text field, and the keyboard.
        let (alert, signIn) = Self.alertWindow(size: screen.screenSize)
        scene.windows.append(alert)
        recorder.keyboardChanged(endFrame: CaptureRect(x: 0, y: 352, width: 320, height: 216))
        idle(1)
        let signInCenter = CapturePoint(x: signIn.frame.minX + 60, y: signIn.frame.minY + 20)
        play(FakeGestures.tap(at: signInCenter, time: clock.uptimeSeconds + 0.01))
        scene.windows.removeAll { $0 === alert }
        recorder.keyboardChanged(endFrame: CaptureRect(x: 0, y: 568, width: 320, height: 216))
        idle(1)
        // A rotation, then a pinch on the landscape screen.
        screen.screenSize = CaptureSize(width: 568, height: 320)
        catalog.window.frame = CaptureRect(x: 0, y: 0, width: 568, height: 320)
        idle(1)
        play(FakeGestures.pinch(center: CapturePoint(x: 284, y: 200), from: 60, to: 220, time: clock.uptimeSeconds + 0.01))
        idle(1)
        recorder.notification(AppLifecycle.didEnterBackground)

        XCTAssertEqual(recorder.stats.errors, 0, "\(String(describing: recorder.lastError))")
        XCTAssertGreaterThanOrEqual(recorder.stats.snapshotsSent, 6)
        XCTAssertGreaterThan(recorder.stats.unchangedSkipped, 0, "quiet checks cost no FFI call")
        XCTAssertGreaterThan(recorder.stats.touchBatches, 40)
        let queued = try await reprise.flushAndUpload(timeout: 20)
        XCTAssertEqual(queued, 0)
        XCTAssertEqual(reprise.stats.droppedInvalidSnapshots, 0)
        try reprise.close()

        let (records, everything) = try collector.records(session: session)
        let kinds = Set(records.map(kind))
        for k in ["Session", "Keyframe", "ScreenView", "Touches", "Gesture", "Viewport", "Keyboard", "Lifecycle", "Connectivity"] {
            XCTAssertTrue(kinds.contains(k), "no \(k) record in \(kinds)")
        }

        // Metadata from the fake device and bundle.
        let meta = try XCTUnwrap(records.first { kind($0) == "Session" }.flatMap(body)?["metadata"] as? [String: Any])
        XCTAssertEqual(meta["device_model"] as? String, "iPhone8,4")
        XCTAssertEqual(meta["os_version"] as? String, "10.3.3")
        XCTAssertEqual(meta["app_id"] as? String, "com.example.apple-samplecode.UICatalog")
        XCTAssertEqual(meta["app_version"] as? String, "11.3")
        XCTAssertEqual(meta["app_build"] as? String, "1103")
        XCTAssertEqual(meta["locale"] as? String, "en-US")
        XCTAssertEqual(meta["time_zone"] as? String, "America/Los_Angeles")
        XCTAssertEqual(meta["screen_width_px"] as? Int, 640)
        XCTAssertEqual(meta["screen_height_px"] as? Int, 1136)
        XCTAssertEqual(records.filter { kind($0) == "ScreenView" }.compactMap { ($0["record"] as? [String: Any])?["ScreenView"] as? String },
                       ["UICatalog.MainViewController", "UIAlertController", "UICatalog.MainViewController"])
        let viewports = records.filter { kind($0) == "Viewport" }.compactMap { ($0["record"] as? [String: Any])?["Viewport"] as? [String: Any] }
        XCTAssertEqual(viewports.map { $0["orientation"] as? String }, ["Portrait", "Landscape"])
        XCTAssertEqual(viewports.last?["width"] as? Int, 568)
        let keyboard = records.filter { kind($0) == "Keyboard" }.compactMap(body)
        XCTAssertEqual(keyboard.map { $0["visible"] as? Bool }, [true, false])
        XCTAssertEqual(keyboard.first?["height"] as? Int, 216)
        let lifecycle = records.filter { kind($0) == "Lifecycle" }.compactMap { ($0["record"] as? [String: Any])?["Lifecycle"] as? String }
        XCTAssertEqual(lifecycle, ["Foreground", "Background"])

        // The recorded frames: class names, and the keyframe of each screen.
        var classes: [Int: String] = [:]
        for r in records where kind(r) == "Classes" {
            for c in (r["record"] as? [String: Any])?["Classes"] as? [[String: Any]] ?? [] { classes[c["id"] as? Int ?? -1] = c["name"] as? String }
        }
        let keyframes = records.filter { kind($0) == "Keyframe" }.compactMap { ($0["record"] as? [String: Any])?["Keyframe"] as? [String: Any] }
            .compactMap { $0["nodes"] as? [[String: Any]] }
        XCTAssertGreaterThanOrEqual(keyframes.count, 3)
        func cls(_ n: [String: Any]) -> String { classes[n["class"] as? Int ?? -1] ?? "?" }
        func id(_ n: [String: Any]) -> Int { n["id"] as? Int ?? -1 }
        func parent(_ n: [String: Any]) -> Int { n["parent"] as? Int ?? -1 }
        func node(_ nodes: [[String: Any]], _ id: Int) -> [String: Any]? { nodes.first { ($0["id"] as? Int) == id } }
        func ancestors(_ nodes: [[String: Any]], _ n: [String: Any]) -> [String] {
            var out: [String] = [], current = n
            while let p = node(nodes, parent(current)), id(p) != id(current) { out.append(cls(p)); current = p }
            return out
        }
        let first = keyframes[0]
        XCTAssertEqual(first.count, 81, "the screen, the window and its 84 views, less the hidden cell's 5")
        let cellNodes = first.filter { cls($0) == "MyTableViewCell" }
        XCTAssertEqual(cellNodes.count, 12)
        XCTAssertEqual(cellNodes.filter { c in !first.contains { parent($0) == id(c) } }.count, 1, "one cell recorded without its subtree")

        // The alert is drawn above the screen, the keyboard above it as an empty placeholder.
        let alertFrame = try XCTUnwrap(keyframes.first { $0.contains { cls($0) == "UITransitionView" } })
        let windowsInOrder = alertFrame.filter { parent($0) == id(alertFrame[0]) && id($0) != id(alertFrame[0]) }.map(cls)
        XCTAssertEqual(windowsInOrder, ["UIWindow", "UITransitionView", "UITextEffectsWindow"])
        let keyboardNode = try XCTUnwrap(alertFrame.first { cls($0) == "UITextEffectsWindow" })
        XCTAssertFalse(alertFrame.contains { parent($0) == id(keyboardNode) }, "nothing inside the keyboard")
        XCTAssertEqual((keyboardNode["props"] as? [String: Any])?["height"] as? Int, 216)
        let secureField = try XCTUnwrap(alertFrame.first { cls($0) == "UITextField" })
        XCTAssertNil(((secureField["props"] as? [String: Any])?["text"] as? [String: Any])?["Plain"], "a secure text is never plain")

        // Gestures, with their targets in the frames.
        let gestures = records.filter { kind($0) == "Gesture" }.compactMap(body)
        XCTAssertEqual(gestures.count, 4)
        let allNodes = keyframes.flatMap { $0 }
        func target(_ g: [String: Any]) -> [String: Any]? { g["target"] as? [String: Any] }
        func targetClass(_ g: [String: Any]) -> String { node(allNodes, target(g)?["id"] as? Int ?? -1).map(cls) ?? "?" }
        XCTAssertEqual(gestures[0]["kind"] as? String, "Tap")
        XCTAssertEqual(targetClass(gestures[0]), "MyTableViewCell", "the tap on the Buttons cell")
        XCTAssertEqual(target(gestures[0])?["interactive"] as? Bool, true)
        let scroll = try XCTUnwrap((gestures[1]["kind"] as? [String: Any])?["Scroll"] as? [String: Any])
        XCTAssertEqual(scroll["dy"] as? Int, -200)
        XCTAssertEqual(targetClass(gestures[1]), "MyTableViewCell", "the cell under the finger")
        XCTAssertEqual(gestures[2]["kind"] as? String, "Tap")
        XCTAssertEqual(target(gestures[2])?["kind"] as? String, "Button")
        XCTAssertEqual((target(gestures[2])?["label"] as? [String: Any])?["Plain"] as? String, "Sign In")
        let signInNode = try XCTUnwrap(node(alertFrame, target(gestures[2])?["id"] as? Int ?? -1), "the alert's button")
        XCTAssertTrue(ancestors(alertFrame, signInNode).contains("UITransitionView"), "in the alert window")
        let pinch = try XCTUnwrap((gestures[3]["kind"] as? [String: Any])?["Pinch"] as? [String: Any])
        XCTAssertGreaterThan((pinch["scale"] as? NSNumber)?.doubleValue ?? 0, 3)

        // After the rotation, the window is landscape.
        let landscape = try XCTUnwrap(keyframes.last)
        XCTAssertEqual((landscape.first { cls($0) == "UIWindow" }?["props"] as? [String: Any])?["width"] as? Int, 568)

        // Privacy: the labels the rules allow are there; the secure, masked and hidden text is not.
        XCTAssertTrue(everything.contains("Various uses of UIButton"), "allowed text is stored (the checks below can fail)")
        XCTAssertFalse(everything.contains(Self.secret), "the secure text field's text reached the collector")
        XCTAssertFalse(everything.contains("Various uses of UIControl"), "the masked label's text reached the collector")
        for text in hiddenTexts { XCTAssertFalse(everything.contains(text), "the hidden cell's text reached the collector") }
    }
}

/// The uncaught-exception path and the one-line start without a screen.
final class StartAndCrashTests: XCTestCase {
    private var collector: Collector!
    override func setUpWithError() throws { collector = try Collector() }
    override func tearDown() { collector?.stop(); collector = nil }

    private func queueFiles(_ dir: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("reprise/queue").path))?
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".lock") && !$0.hasSuffix(".tmp") } ?? []
    }

    func testAnUncaughtExceptionIsPersistedAtOnceAndTheNextStartUploadsIt() async throws {
        let catalog = try IOSFixtures.catalog()
        let clock = FakeClock()
        let screen = FakeScreen([FakeScene([catalog.window])], size: CaptureSize(width: 320, height: 568), scale: 2)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let environment = FakeEnvironment(screen: screen, clock: clock, dataDirectory: dir)
        let crashed: String
        do {
            // No upload: what the crash persists stays on disk for the next start.
            let reprise = try Reprise.start(RepriseConfiguration(dataDirectory: dir), environment: environment)
            crashed = reprise.sessionId
            let recorder = try XCTUnwrap(reprise.screenRecorder)
            clock.advance(0.016)
            recorder.frameTick(at: clock.uptimeSeconds)
            let before = queueFiles(dir)
            recorder.uncaughtException(name: "NSInvalidArgumentException", reason: "-[Cart total]: unrecognized selector",
                                       callStack: ["0 CoreFoundation __exceptionPreprocess", "1 UICatalog -[Cart checkout]"])
            XCTAssertGreaterThan(queueFiles(dir).count, before.count, "the open segment is on disk when the handler returns")
            // The process dies here; closing only lets this process start the next session on the directory.
            XCTAssertTrue(Reprise.current === reprise)
            try reprise.close()
            XCTAssertNil(Reprise.current)
        }
        var config = RepriseConfiguration(dataDirectory: dir, upload: UploadOptions(endpoint: collector.endpoint, apiKey: collector.apiKey))
        config.upload?.initialBackoffMs = 100
        let next = try Reprise.start(config, environment: environment)
        let left = try await next.flushAndUpload(timeout: 20)
        XCTAssertEqual(left, 0)
        try next.close()
        let (records, _) = try collector.records(session: crashed)
        let breadcrumbs = records.filter { ($0["kind"] as? String) == "Breadcrumb" }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: breadcrumbs), as: UTF8.self)
        XCTAssertTrue(text.contains("Uncaught exception NSInvalidArgumentException"), text)
        XCTAssertTrue(records.contains { ($0["kind"] as? String) == "Custom" && "\($0)".contains("crash") },
                      "the crash is marked for the collector's analysis")
        XCTAssertTrue(text.contains("Error"), "recorded as an error: \(text)")
        XCTAssertTrue(records.contains { ($0["kind"] as? String) == "Keyframe" }, "the screen before the crash too")
    }

    func testTheTreeTheRecorderWouldSendFeedsReprisePreview() throws {
        let catalog = try IOSFixtures.catalog()
        let screen = FakeScreen([FakeScene([catalog.window])], size: CaptureSize(width: 320, height: 568), scale: 2)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reprise = try Reprise.start(RepriseConfiguration(dataDirectory: dir), environment: FakeEnvironment(screen: screen, clock: FakeClock(), dataDirectory: dir))
        defer { try? reprise.close() }
        let tree = try XCTUnwrap(reprise.screenRecorder).screenTree()
        XCTAssertGreaterThan(tree.nodes.count, 10)
        let json = dir.appendingPathComponent("screen.json"), png = dir.appendingPathComponent("screen.png")
        try tree.json().write(to: json, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = collector.binary
        p.arguments = ["preview", json.path, "--density", "2", "--out", png.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        p.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, said)
        XCTAssertTrue(said.contains("as stored under mask All"), said)
        // A PNG of the screen's size in points: its width in the IHDR chunk (bytes 16-19, big-endian).
        let bytes = [UInt8](try Data(contentsOf: png))
        XCTAssertEqual(Array(bytes[1...3]), Array("PNG".utf8))
        let width = bytes[16...19].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(width, 320)
    }

    func testTheOneLineStartRecordsWithoutAScreenHere() async throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir); unsetenv("REPRISE_DATA_DIR") }
        setenv("REPRISE_DATA_DIR", dir.path, 1)
        XCTAssertEqual(Reprise.defaultDataDirectory.path, dir.path)
        let reprise = try Reprise.start(RepriseConfiguration(endpoint: collector.endpoint, apiKey: collector.apiKey))
        XCTAssertNil(reprise.screenRecorder, "no screen on Linux")
        XCTAssertEqual(reprise.configuration.dataDir, dir.path)
        try reprise.event("started")
        let left = try await reprise.flushAndUpload(timeout: 20)
        XCTAssertEqual(left, 0)
        let session = reprise.sessionId
        try reprise.close()
        let (records, _) = try collector.records(session: session)
        let meta = try XCTUnwrap(((records.first { ($0["kind"] as? String) == "Session" }?["record"] as? [String: Any])?["Session"] as? [String: Any])?["metadata"] as? [String: Any])
        XCTAssertEqual(meta["platform"] as? String, "Ios")
        XCTAssertEqual(meta["os_name"] as? String, "Linux")
        XCTAssertThrowsError(try Reprise.start(RepriseConfiguration(endpoint: "ftp://collector.example.com", apiKey: "k"))) { error in
            guard case RepriseError.Config = error else { return XCTFail("\(error)") }
        }
    }
}
