// Fake UITouch and UIEvent, and gestures made of them, for the touch batcher's tests.
import Reprise

/// A fake `UITouch`: one object for the whole contact, as UIKit does.
public final class FakeTouch: TouchLike {
    public var touchPhase: TouchPhase = .began
    public var locationInWindow: CapturePoint
    public var windowOrigin: CapturePoint
    public var timestamp: Double
    public var pressure: Double? = 0.5
    public var majorRadiusPoints = 20.0
    public init(at point: CapturePoint, time: Double, windowOrigin: CapturePoint = .zero) {
        locationInWindow = point
        timestamp = time
        self.windowOrigin = windowOrigin
    }

    /// A copy as a coalesced sample (another object, as UIKit's coalesced touches are).
    public func sample(at point: CapturePoint, time: Double) -> FakeTouch {
        let s = FakeTouch(at: point, time: time, windowOrigin: windowOrigin)
        s.touchPhase = touchPhase; s.pressure = pressure; s.majorRadiusPoints = majorRadiusPoints
        return s
    }
}

/// A fake touches `UIEvent`. Touches are mutable objects (as UITouch is) and a gesture's events
/// are made ahead of time, so each event keeps every touch's state as it was when the event was
/// made and puts it back when the batcher reads the event.
public struct FakeTouchEvent: TouchEventLike {
    struct State { let touch: FakeTouch; let phase: TouchPhase; let point: CapturePoint; let time: Double }
    private let states: [State]
    public var coalescedSamples: [ObjectIdentifier: [FakeTouch]] = [:]
    public init(_ touches: [FakeTouch]) {
        states = touches.map { State(touch: $0, phase: $0.touchPhase, point: $0.locationInWindow, time: $0.timestamp) }
    }
    public var eventTouches: [any TouchLike] {
        for s in states { s.touch.touchPhase = s.phase; s.touch.locationInWindow = s.point; s.touch.timestamp = s.time }
        return states.map(\.touch)
    }
    public func coalesced(for touch: any TouchLike) -> [any TouchLike] { coalescedSamples[ObjectIdentifier(touch)] ?? [] }
    /// When the event happened: its latest touch's timestamp.
    public var time: Double { states.map(\.time).max() ?? 0 }
}

/// Gestures as the events UIKit would send, one event per 16 ms frame (times in uptime seconds,
/// points in window coordinates).
public enum FakeGestures {
    /// A tap at `point`: began, then ended 90 ms later.
    public static func tap(at point: CapturePoint, time: Double, windowOrigin: CapturePoint = .zero) -> [FakeTouchEvent] {
        let t = FakeTouch(at: point, time: time, windowOrigin: windowOrigin)
        return [FakeTouchEvent([t]), event(t, phase: .ended, at: CapturePoint(x: point.x + 0.5, y: point.y), time: time + 0.09)]
    }

    /// A one-finger drag by `dy` points over `frames` frames, each move with 2 coalesced samples.
    public static func drag(from point: CapturePoint, dy: Double, time: Double, frames: Int = 20) -> [FakeTouchEvent] {
        let t = FakeTouch(at: point, time: time)
        var events = [FakeTouchEvent([t])]
        for i in 1...frames {
            let p = Double(i) / Double(frames), eased = 1 - (1 - p) * (1 - p)
            let prev = 1 - (1 - (p - 0.5 / Double(frames))) * (1 - (p - 0.5 / Double(frames)))
            let tf = time + Double(i) * 0.016
            var e = event(t, phase: .moved, at: CapturePoint(x: point.x, y: point.y + dy * eased), time: tf)
            e.coalescedSamples[ObjectIdentifier(t)] = [
                t.sample(at: CapturePoint(x: point.x, y: point.y + dy * prev), time: tf - 0.008),
                t.sample(at: t.locationInWindow, time: tf),
            ]
            events.append(e)
        }
        events.append(event(t, phase: .ended, at: t.locationInWindow, time: time + Double(frames + 1) * 0.016))
        return events
    }

    /// Two fingers spreading from `from` to `to` points apart around `center`; the second finger
    /// stationary in the frame the second one lands, and while the second one lifts.
    public static func pinch(center: CapturePoint, from: Double, to: Double, time: Double, frames: Int = 25) -> [FakeTouchEvent] {
        let a = FakeTouch(at: CapturePoint(x: center.x - from / 2, y: center.y), time: time)
        var events = [FakeTouchEvent([a])]
        let b = FakeTouch(at: CapturePoint(x: center.x + from / 2, y: center.y), time: time + 0.03)
        a.touchPhase = .stationary
        events.append(FakeTouchEvent([a, b]))
        for i in 1...frames {
            let span = from + (to - from) * Double(i) / Double(frames), tf = time + 0.03 + Double(i) * 0.016
            a.touchPhase = .moved; a.locationInWindow = CapturePoint(x: center.x - span / 2, y: center.y); a.timestamp = tf
            b.touchPhase = .moved; b.locationInWindow = CapturePoint(x: center.x + span / 2, y: center.y); b.timestamp = tf
            events.append(snapshot([a, b]))
        }
        let end = time + 0.03 + Double(frames + 1) * 0.016
        a.touchPhase = .stationary; b.touchPhase = .ended; b.timestamp = end
        events.append(snapshot([a, b]))
        a.touchPhase = .ended; a.timestamp = end + 0.01
        events.append(snapshot([a]))
        return events
    }

    /// The touch moved to `point` in `phase` at `time`, as the event UIKit sends then.
    static func event(_ t: FakeTouch, phase: TouchPhase, at point: CapturePoint, time: Double) -> FakeTouchEvent {
        t.touchPhase = phase; t.locationInWindow = point; t.timestamp = time
        return snapshot([t])
    }

    static func snapshot(_ touches: [FakeTouch]) -> FakeTouchEvent { FakeTouchEvent(touches) }
}

