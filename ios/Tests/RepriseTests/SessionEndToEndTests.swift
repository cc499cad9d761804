import Foundation
import XCTest
@testable import Reprise
import RepriseSamples

/// Records full sessions through the Swift facade, uploads them to the real collector on loopback,
/// then reads back what the collector stored (`reprise inspect`).
final class SessionEndToEndTests: XCTestCase {
    private var collector: Collector!

    override func setUpWithError() throws { collector = try Collector() }
    override func tearDown() { collector?.stop(); collector = nil }

    private func kind(_ r: [String: Any]) -> String { r["kind"] as? String ?? "" }
    private func body(_ r: [String: Any]) -> [String: Any]? { (r["record"] as? [String: Any])?[kind(r)] as? [String: Any] }

    func testFullSessionFromRealScreensIsUploadedMaskedWithGesturesAndMetadata() async throws {
        let screens = try Fixtures.screens(3)
        XCTAssertEqual(screens.count, 3)
        let secrets = Array(Set(screens.flatMap(\.texts).filter { $0.trimmingCharacters(in: .whitespaces).count >= 6 }))
        XCTAssertGreaterThanOrEqual(secrets.count, 5, "the fixture screens should carry text to mask")

        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = RepriseConfiguration(
            dataDirectory: dir, upload: UploadOptions(endpoint: collector.endpoint, apiKey: collector.apiKey, initialBackoffMs: 100))
        let t0 = Reprise.nowMs()
        let session: String
        do {
            let reprise = try Reprise(config, metadata: Fixtures.metadata(), nowMs: t0)
            session = reprise.sessionId
            reprise.setUserId("user-42")
            reprise.setAttribute("plan", "pro")
            try reprise.lifecycle(.foreground, timeMs: t0 + 1)
            var t = t0 + 10
            for (i, screen) in screens.enumerated() {
                try reprise.screenView("screen-\(i)", timeMs: t)
                try reprise.snapshot(screen.tree, timeMs: t + 5)
                try reprise.snapshot(screen.tree, timeMs: t + 500) // unchanged: costs nothing
                let frames: [[TouchSample]]
                switch i {
                case 0: frames = Fixtures.tap(t + 600, 700, 1200)
                case 1: frames = Fixtures.scroll(t + 600, 720, 1800, dy: -900)
                default: frames = Fixtures.pinch(t + 600, 720, 1200, from: 200, to: 700)
                }
                for frame in frames { try reprise.touches(frame) }
                t += 2_000
            }
            try reprise.event("checkout", ["items": 3, "total": 9.99, "express": true], timeMs: t)
            try reprise.breadcrumb("cart opened", level: .info, timeMs: t + 10)
            try reprise.network(NetworkRequest(method: "GET", url: "https://api.example.com/cart?token=secret", status: 200,
                                               durationMs: 120, requestBytes: nil, responseBytes: 2048), timeMs: t + 20)
            try reprise.connectivity(.cellular, timeMs: t + 30)
            try reprise.lifecycle(.background, timeMs: t + 40)
            let queued = try await reprise.flushAndUpload(timeout: 20)
            XCTAssertEqual(queued, 0, "everything uploaded")
            let stats = reprise.stats
            XCTAssertEqual(stats.droppedOverload, 0)
            XCTAssertEqual(stats.droppedInvalidSnapshots, 0)
            XCTAssertGreaterThanOrEqual(stats.uploadedSegments, 1)
            XCTAssertGreaterThanOrEqual(stats.unchangedSnapshots, 3)
            try reprise.close()
        }

        let (records, everything) = try collector.records(session: session)
        let kinds = Set(records.map(kind))
        for k in ["Session", "Keyframe", "ScreenView", "Touches", "Gesture", "Custom", "Breadcrumb", "Network", "Connectivity", "Lifecycle"] {
            XCTAssertTrue(kinds.contains(k), "no \(k) record in \(kinds)")
        }

        // Metadata, as the Swift side gave it.
        let sessionRecord = try XCTUnwrap(records.first { kind($0) == "Session" }.flatMap(body))
        let meta = try XCTUnwrap(sessionRecord["metadata"] as? [String: Any])
        XCTAssertEqual(meta["device_model"] as? String, "iPhone 15 (Swift test)")
        XCTAssertEqual(meta["platform"] as? String, "Ios")
        XCTAssertEqual(meta["os_name"] as? String, "iOS")
        XCTAssertEqual(meta["os_version"] as? String, "17.4")
        XCTAssertEqual(meta["app_version"] as? String, "2.3.4")
        XCTAssertEqual(meta["app_id"] as? String, "dev.reprise.demo.ios")
        XCTAssertTrue(everything.contains("user-42"), "the user id was stored")

        // Gestures recognized in the core from the raw touches.
        let gestures = records.filter { kind($0) == "Gesture" }.compactMap { body($0)?["kind"] }
        XCTAssertTrue(gestures.contains { ($0 as? String) == "Tap" }, "a tap in \(gestures)")
        let scroll = gestures.compactMap { ($0 as? [String: Any])?["Scroll"] as? [String: Any] }.first
        XCTAssertLessThan((scroll?["dy"] as? NSNumber)?.doubleValue ?? 0, -100, "an upward scroll in \(gestures)")
        let pinch = gestures.compactMap { ($0 as? [String: Any])?["Pinch"] as? [String: Any] }.first
        XCTAssertGreaterThan((pinch?["scale"] as? NSNumber)?.doubleValue ?? 0, 2.0, "a spreading pinch in \(gestures)")

        // The custom event with its attributes.
        let custom = try XCTUnwrap(records.first { kind($0) == "Custom" }.flatMap(body))
        XCTAssertEqual(custom["name"] as? String, "checkout")
        let attributes = String(decoding: try JSONSerialization.data(withJSONObject: custom["attributes"] ?? []), as: UTF8.self)
        XCTAssertTrue(attributes.contains("9.99") && attributes.contains("express"), attributes)

        // Masking: no text of the real screens reached the collector; the URL lost its query.
        for secret in secrets {
            XCTAssertFalse(everything.contains(secret), "unmasked text reached the collector: '\(secret)'")
        }
        XCTAssertFalse(everything.contains("token=secret"))
        XCTAssertGreaterThanOrEqual(records.filter { kind($0) == "Keyframe" }.count, 3, "a keyframe per screen")
    }

    func testManyThreadsRecordingAtOnceLoseNothing() async throws {
        let threads = 8, perThread = 300
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = RepriseConfiguration(
            dataDirectory: dir, upload: UploadOptions(endpoint: collector.endpoint, apiKey: collector.apiKey, initialBackoffMs: 100))
        let t0 = Reprise.nowMs()
        let reprise = try Reprise(config, metadata: Fixtures.metadata(), nowMs: t0)
        let session = reprise.sessionId
        let tree = try Samples.feed(100)
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: threads) { th in
            do {
                for i in 0..<perThread {
                    try reprise.event("thread-event", ["thread": th, "i": i], timeMs: t0 + Int64(i))
                    if i % 50 == 0 { try reprise.snapshot(tree, timeMs: t0 + Int64(i)) }
                    if i % 30 == 0 { try reprise.touches(Samples.touchBatch(t0 + Int64(i))) }
                }
            } catch {
                errors.append(error)
            }
        }
        XCTAssertTrue(errors.all.isEmpty, "errors: \(errors.all)")
        let queued = try await reprise.flushAndUpload(timeout: 30)
        XCTAssertEqual(queued, 0)
        XCTAssertEqual(reprise.stats.droppedOverload, 0)
        XCTAssertEqual(reprise.stats.droppedInternal, 0)
        try reprise.close()

        let custom = try collector.records(session: session).records.filter { kind($0) == "Custom" }.compactMap(body)
        XCTAssertEqual(custom.count, threads * perThread, "every custom event stored")
        let distinct = Set(custom.map { String(decoding: (try? JSONSerialization.data(withJSONObject: $0["attributes"] ?? [], options: .sortedKeys)) ?? Data(), as: UTF8.self) })
        XCTAssertEqual(distinct.count, threads * perThread, "no duplicates")
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ e: Error) { lock.lock(); errors.append(e); lock.unlock() }
    var all: [Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
