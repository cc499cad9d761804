import XCTest
@testable import Reprise

/// The scheduler on a fake clock: ticks every 16 ms.
final class CaptureSchedulerTests: XCTestCase {
    private let portrait = ScreenProbe(topViewController: "Feed", orientation: .portrait, size: CaptureSize(width: 390, height: 844))

    /// Ticks from `from` for `seconds`, marking dirty every frame when `dirty`; the capture times.
    private func drive(_ s: CaptureScheduler, from: Double, seconds: Double, dirty: Bool, probe: ScreenProbe? = nil) -> [Double] {
        var captures: [Double] = []
        var t = from
        while t < from + seconds {
            if dirty { s.markDirty() }
            if s.tick(at: t, probe: probe ?? portrait) != nil {
                captures.append(t)
                s.didCapture(at: t, probe: probe ?? portrait, walkSeconds: 0.001)
            }
            t += 0.016
        }
        return captures
    }

    func testADirtyScreenIsCapturedAtMostFourTimesASecond() {
        let s = CaptureScheduler()
        let captures = drive(s, from: 100, seconds: 10, dirty: true)
        XCTAssertEqual(captures.count, 40, accuracy: 1)
        for (a, b) in zip(captures, captures.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, 0.25 - 1e-9) }
    }

    func testAQuietScreenIsOnlyCheckedOnceASecond() {
        let s = CaptureScheduler()
        let captures = drive(s, from: 0, seconds: 10, dirty: false)
        XCTAssertEqual(captures.count, 10, accuracy: 1, "the first capture, then one check a second")
    }

    func testANewViewControllerOrARotationIsCapturedAtOnce() {
        let s = CaptureScheduler()
        XCTAssertEqual(s.tick(at: 0, probe: portrait), .newScreen)
        s.didCapture(at: 0, probe: portrait, walkSeconds: 0)
        s.markDirty()
        XCTAssertNil(s.tick(at: 0.05, probe: portrait), "throttled")
        var detail = portrait
        detail.topViewController = "Detail"
        XCTAssertEqual(s.tick(at: 0.06, probe: detail), .newScreen)
        s.didCapture(at: 0.06, probe: detail, walkSeconds: 0)
        var landscape = detail
        landscape.orientation = .landscape
        landscape.size = CaptureSize(width: 844, height: 390)
        XCTAssertEqual(s.tick(at: 0.08, probe: landscape), .orientation)
    }

    func testSlowWalksStretchTheIntervalAndFastOnesBringItBack() {
        let s = CaptureScheduler(walkBudget: 0.004)
        s.didCapture(at: 0, probe: portrait, walkSeconds: 0.010)
        XCTAssertEqual(s.interval, 0.5)
        s.didCapture(at: 1, probe: portrait, walkSeconds: 0.010)
        XCTAssertEqual(s.interval, 1)
        s.markDirty()
        XCTAssertNil(s.tick(at: 1.6, probe: portrait))
        XCTAssertEqual(s.tick(at: 2.0, probe: portrait), .changed)
        s.didCapture(at: 2, probe: portrait, walkSeconds: 0.001)
        s.didCapture(at: 3, probe: portrait, walkSeconds: 0.001)
        XCTAssertEqual(s.interval, 0.25)
    }
}
