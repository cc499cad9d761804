/// The uncaught-exception path: an error on the timeline, then the open segment persisted
/// synchronously (the core's flush: bounded, fsynced), so that the next start uploads it.
enum CrashRecorder {
    /// Frames of the call stack kept in the message.
    static let maxFrames = 8

    static func message(name: String, reason: String?, callStack: [String]) -> String {
        var text = "Uncaught exception \(name)"
        if let reason, !reason.isEmpty { text += ": \(reason)" }
        let frames = callStack.prefix(maxFrames)
        if !frames.isEmpty { text += "\n" + frames.joined(separator: "\n") }
        return text
    }

    /// The custom event recorded before the crash's breadcrumb (the collector's `crash` finding).
    static let crashEvent = "crash"

    static func record(_ reprise: Reprise, name: String, reason: String?, callStack: [String], timeMs: Int64) {
        try? reprise.event(crashEvent, ["name": name], timeMs: timeMs)
        try? reprise.breadcrumb(message(name: name, reason: reason, callStack: callStack), level: .error, timeMs: timeMs)
        _ = try? reprise.flushBlocking()
    }
}
