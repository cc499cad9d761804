import Foundation

/// The two clocks the capture logic reads: wall time for records, uptime for touches and the
/// scheduler. Tests give a fake one.
public protocol Clock: AnyObject {
    /// Seconds since the Unix epoch.
    var unixSeconds: Double { get }
    /// Seconds of system uptime (`ProcessInfo.systemUptime`, the clock of `UITouch.timestamp`
    /// and `CADisplayLink.timestamp`).
    var uptimeSeconds: Double { get }
}

extension Clock {
    /// What to add to an uptime to get Unix time.
    public var uptimeToUnixSeconds: Double { unixSeconds - uptimeSeconds }
    /// Milliseconds since the Unix epoch, the clock of record calls.
    public var nowMs: Int64 { Int64((unixSeconds * 1000).rounded()) }
}

/// The system's clocks.
public final class SystemClock: Clock {
    public init() {}
    public var unixSeconds: Double { Date().timeIntervalSince1970 }
    public var uptimeSeconds: Double { ProcessInfo.processInfo.systemUptime }
}
