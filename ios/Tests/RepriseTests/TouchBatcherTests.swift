import XCTest
@testable import Reprise
import RepriseSamples

/// Phase mapping, pointer ids, coalesced samples and frame batching, from fake UITouches.
final class TouchBatcherTests: XCTestCase {
    private func run(_ events: [FakeTouchEvent], scale: Double = 2, offset: Double = 1_700_000_000) -> [TouchSample] {
        let batcher = TouchBatcher(scale: scale, uptimeToUnixSeconds: offset)
        for e in events { batcher.add(e) }
        return batcher.drain()
    }

    func testATapIsDownThenUpInScreenPixelsWithUnixTime() {
        let samples = run(FakeGestures.tap(at: CapturePoint(x: 100, y: 200), time: 50, windowOrigin: CapturePoint(x: 0, y: 20)))
        XCTAssertEqual(samples.map(\.action), [.down, .up])
        XCTAssertEqual(samples[0].x, 200)
        XCTAssertEqual(samples[0].y, 440, "location in window plus the window's origin, times the scale")
        XCTAssertEqual(samples[0].timeUs, 1_700_000_050_000_000)
        XCTAssertEqual(samples[1].timeUs - samples[0].timeUs, 90_000)
        XCTAssertEqual(samples[0].pressure, 0.5)
        XCTAssertEqual(samples[0].size, 40, "major radius in pixels")
        XCTAssertEqual(Set(samples.map(\.pointerId)), [0])
    }

    func testMovesCarryEveryCoalescedSample() {
        let samples = run(FakeGestures.drag(from: CapturePoint(x: 160, y: 400), dy: -200, time: 10, frames: 20))
        XCTAssertEqual(samples.first?.action, .down)
        XCTAssertEqual(samples.last?.action, .up)
        XCTAssertEqual(samples.filter { $0.action == .move }.count, 40, "two coalesced samples per frame")
        let times = samples.map(\.timeUs)
        XCTAssertEqual(times, times.sorted(), "in time order")
    }

    func testAPinchIsDownPointerDownMovesPointerUpUp() {
        let samples = run(FakeGestures.pinch(center: CapturePoint(x: 160, y: 300), from: 100, to: 300, time: 5))
        let actions = samples.map(\.action)
        XCTAssertEqual(actions.first, .down)
        XCTAssertEqual(actions[1], .pointerDown, "touches that began come first in their event")
        XCTAssertEqual(samples[1].pointerId, 1)
        XCTAssertEqual(actions[2], .move, "the first finger, stationary, is a move")
        XCTAssertEqual(samples[2].pointerId, 0)
        XCTAssertEqual(Array(actions.suffix(3)), [.move, .pointerUp, .up])
        XCTAssertEqual(samples[samples.count - 2].pointerId, 1)
        XCTAssertEqual(samples.last?.pointerId, 0)
    }

    func testCancelledTouchesAndReusedPointerIds() {
        let batcher = TouchBatcher(scale: 1, uptimeToUnixSeconds: 0)
        let a = FakeTouch(at: CapturePoint(x: 1, y: 1), time: 1)
        batcher.add(FakeTouchEvent([a]))
        a.touchPhase = .cancelled
        batcher.add(FakeTouchEvent([a]))
        XCTAssertEqual(batcher.activePointers, 0)
        let b = FakeTouch(at: CapturePoint(x: 2, y: 2), time: 2)
        batcher.add(FakeTouchEvent([b]))
        let samples = batcher.drain()
        XCTAssertEqual(samples.map(\.action), [.down, .cancel, .down])
        XCTAssertEqual(samples.last?.pointerId, 0, "the lowest free id again")
        XCTAssertTrue(batcher.drain().isEmpty, "drained once")
    }

    func testUnknownTouchesAndOtherPhasesAreIgnored() {
        let batcher = TouchBatcher(scale: 1, uptimeToUnixSeconds: 0)
        let stray = FakeTouch(at: .zero, time: 1)
        stray.touchPhase = .moved
        batcher.add(FakeTouchEvent([stray]))
        stray.touchPhase = .other
        batcher.add(FakeTouchEvent([stray]))
        XCTAssertTrue(batcher.drain().isEmpty)
    }

    func testAFullBatchAsksForAnEarlyDrain() {
        let batcher = TouchBatcher(scale: 1, uptimeToUnixSeconds: 0)
        let t = FakeTouch(at: .zero, time: 0)
        batcher.add(FakeTouchEvent([t]))
        t.touchPhase = .moved
        var full = false
        for i in 0..<TouchBatcher.maxPending where !full {
            t.timestamp = Double(i) * 0.001
            full = batcher.add(FakeTouchEvent([t]))
        }
        XCTAssertTrue(full)
        XCTAssertEqual(batcher.drain().count, TouchBatcher.maxPending)
    }
}
