import Foundation
import XCTest
@testable import Reprise
import RepriseSamples

/// Errors cross the FFI as typed Swift errors; native objects are freed when the last reference goes.
final class FfiSafetyTests: XCTestCase {
    private let t0: Int64 = 1_763_000_000_000
    private var dir: URL!

    override func setUpWithError() throws { dir = try Fixtures.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// Runs `body`, which must throw a RepriseError accepted by `matches`.
    private func assertThrows(_ what: String, _ matches: (RepriseError) -> Bool, _ body: () throws -> Void,
                              file: StaticString = #filePath, line: UInt = #line) {
        do {
            try body()
            XCTFail("\(what): no error", file: file, line: line)
        } catch let e as RepriseError {
            XCTAssertTrue(matches(e), "\(what): unexpected \(e)", file: file, line: line)
        } catch {
            XCTFail("\(what): not a RepriseError: \(error)", file: file, line: line)
        }
    }

    private static func isInvalidSnapshot(_ e: RepriseError) -> Bool { if case .InvalidSnapshot = e { return true }; return false }
    private static func isConfig(_ e: RepriseError) -> Bool { if case .Config = e { return true }; return false }
    private static func isStorage(_ e: RepriseError) -> Bool { if case .Storage = e { return true }; return false }
    private static func isStopped(_ e: RepriseError) -> Bool { if case .Stopped = e { return true }; return false }

    func testPanicInsideTheSdkIsATypedErrorNotACrash() {
        assertThrows("panic", { e in
            if case .Internal(let reason) = e { return reason.contains("boom") }
            return false
        }) { try diagnosticPanic("boom") }
        // The library goes on working, many times over.
        for _ in 0..<3 { XCTAssertThrowsError(try diagnosticPanic("again")) }
        XCTAssertFalse(Reprise.nativeVersion.isEmpty)
    }

    func testAViewTreeRoundTripsThroughTheCoresJsonAndBadJsonIsATypedError() throws {
        let screen = try XCTUnwrap(Fixtures.screens(1).first)
        XCTAssertEqual(try ViewTree(json: try screen.tree.json()), screen.tree)
        let feed = try Samples.feed(10)
        XCTAssertEqual(try ViewTree(json: try feed.json()), feed)
        XCTAssertThrowsError(try ViewTree(json: "{")) { XCTAssertTrue($0 is ViewTreeJsonError, "\($0)") }
        let renamed = try feed.json().replacingOccurrences(of: "\"nodes\"", with: "\"nodez\"")
        XCTAssertThrowsError(try ViewTree(json: renamed)) { XCTAssertTrue($0 is ViewTreeJsonError, "\($0)") }
    }

    func testBadInputIsRefusedWithTypedErrorsAndTheSessionGoesOn() throws {
        let reprise = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0)
        // A child pointing past its own index, and an empty tree.
        let tree = try Samples.feed(10)
        var bad = tree
        bad.nodes[1].parent = 5
        assertThrows("forward parent", Self.isInvalidSnapshot) { try reprise.snapshot(bad, timeMs: t0 + 3) }
        assertThrows("empty tree", Self.isInvalidSnapshot) { try reprise.snapshot(ViewTree(classes: tree.classes, nodes: []), timeMs: t0 + 4) }
        // NaN and infinite bounds are corrected and counted, not fatal.
        var nan = tree
        for i in nan.nodes.indices { nan.nodes[i].bounds = PxRect(left: .nan, top: 0, width: -5, height: .infinity) }
        try reprise.snapshot(nan, timeMs: t0 + 6)
        try reprise.screenView("still recording", timeMs: t0 + 7)
        try reprise.flushBlocking()
        XCTAssertGreaterThanOrEqual(reprise.stats.events, 2)
        XCTAssertGreaterThanOrEqual(reprise.stats.droppedInvalidSnapshots, 2)
    }

    func testAnInvalidConfigurationIsATypedError() {
        var rate = RepriseConfiguration(dataDirectory: dir)
        rate.sampleRate = 2
        assertThrows("sample rate 2", Self.isConfig) { _ = try Reprise(rate, metadata: Fixtures.metadata(), nowMs: t0) }
        let plainHttp = RepriseConfiguration(dataDirectory: dir, upload: UploadOptions(endpoint: "http://collector.example.com", apiKey: "k"))
        assertThrows("remote http", Self.isConfig) { _ = try Reprise(plainHttp, metadata: Fixtures.metadata(), nowMs: t0) }
        var keyframe = RepriseConfiguration(dataDirectory: dir)
        keyframe.keyframeIntervalMs = 1
        assertThrows("keyframe interval", Self.isConfig) { _ = try Reprise(keyframe, metadata: Fixtures.metadata(), nowMs: t0) }
    }

    func testAClosedSdkSaysSoWithATypedError() throws {
        let reprise = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0)
        try reprise.screenView("before", timeMs: t0 + 1)
        XCTAssertGreaterThanOrEqual(try reprise.close().persisted, 1)
        XCTAssertEqual(try reprise.close().persisted, 0) // idempotent
        assertThrows("after close", Self.isStopped) { try reprise.screenView("after close", timeMs: t0 + 2) }
        assertThrows("touches after close", Self.isStopped) { try reprise.touches(Samples.touchBatch(t0 + 3)) }
    }

    func testDeinitFreesTheNativeObjectDeterministically() throws {
        // The disk queue holds a lock on its directory until the native SDK is dropped: starting
        // again on the same directory right after the last reference goes (no close() call)
        // proves deinit freed it.
        for i in 0..<40 {
            let reprise = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0 + Int64(i) * 1000)
            try reprise.screenView("round \(i)", timeMs: t0 + Int64(i) * 1000 + 1)
        }
        var open: Reprise? = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0 + 100_000)
        XCTAssertNotNil(open)
        assertThrows("second SDK on a locked directory", Self.isStorage) {
            _ = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0 + 100_001)
        }
        open = nil
        _ = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0 + 100_002)
        let queue = dir.appendingPathComponent("reprise/queue")
        let segments = try FileManager.default.contentsOfDirectory(atPath: queue.path).filter { $0.hasSuffix(".seg") }
        XCTAssertGreaterThanOrEqual(segments.count, 40, "every round's segment persisted by deinit")
    }

    func testPauseMakesRecordCallsNoOpsUntilResume() async throws {
        let reprise = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0)
        try reprise.screenView("a", timeMs: t0 + 1)
        reprise.pause()
        XCTAssertTrue(reprise.isPaused)
        try reprise.screenView("b", timeMs: t0 + 2)
        try reprise.snapshot(try Samples.feed(20), timeMs: t0 + 3)
        try reprise.touches(Samples.touchBatch(t0 + 4))
        reprise.resume()
        XCTAssertFalse(reprise.isPaused)
        try reprise.screenView("c", timeMs: t0 + 5)
        let flushed = try await reprise.flush()
        XCTAssertEqual(flushed.failed, 0)
        XCTAssertEqual(reprise.stats.ignoredPaused, 3)
        XCTAssertEqual(reprise.stats.events, 2)
    }

    /// A log sink written in Swift hears about starts, stops and refused input; one that throws is harmless.
    final class Sink: LogSink, @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(LogLevel, String)] = []
        var lines: [(LogLevel, String)] { lock.lock(); defer { lock.unlock() }; return entries }
        func log(level: LogLevel, message: String) throws {
            lock.lock(); entries.append((level, message)); lock.unlock()
            throw RepriseError.Internal(reason: "a broken logger")
        }
    }

    func testTheLogSinkHearsAndAThrowingSinkIsHarmless() throws {
        let sink = Sink()
        do {
            let reprise = try Reprise(RepriseConfiguration(dataDirectory: dir), metadata: Fixtures.metadata(), nowMs: t0, logSink: sink)
            assertThrows("empty tree", Self.isInvalidSnapshot) { try reprise.snapshot(ViewTree(classes: [], nodes: []), timeMs: t0 + 1) }
            try reprise.screenView("fine", timeMs: t0 + 2)
        } // deinit: stops, and logs it
        let lines = sink.lines
        XCTAssertTrue(lines.contains { $0.0 == .info && $0.1.contains("started") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.0 == .warning && $0.1.contains("invalid snapshot") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.1.contains("stopped") }, "\(lines)")
    }
}
